import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { IndonesianCalendar, decreeDataWarning } from '../../../runtime/context/indonesia/index.ts';
import { at } from './reference.ts';

const calendar = new IndonesianCalendar();
const cutiOpen = new IndonesianCalendar({ config: { cutiBersamaIsBusinessDay: true } });
const iso = (dt: DateTime) => dt.toISO();

describe('addBusinessDays', () => {
  it('skips the weekend', () => {
    expect(calendar.addBusinessDays('2026-01-09', 1).toISODate()).toBe('2026-01-12');
    expect(calendar.addBusinessDays('2026-01-12', -1).toISODate()).toBe('2026-01-09');
  });

  it('skips Nyepi, Lebaran and their cuti bersama (17 → 25 March 2026)', () => {
    expect(calendar.addBusinessDays('2026-03-17', 1).toISODate()).toBe('2026-03-25');
    expect(calendar.addBusinessDays('2026-03-25', -1).toISODate()).toBe('2026-03-17');
  });

  it('counts cuti bersama as working days when the config says so, both ways', () => {
    expect(cutiOpen.addBusinessDays('2026-03-17', 1).toISODate()).toBe('2026-03-18');
    expect(cutiOpen.addBusinessDays('2026-03-17', 3).toISODate()).toBe('2026-03-23');
    expect(cutiOpen.addBusinessDays('2026-03-25', -1).toISODate()).toBe('2026-03-24');
    expect(cutiOpen.addBusinessDays('2026-03-25', -3).toISODate()).toBe('2026-03-20');
  });

  it('keeps the local time of day', () => {
    expect(iso(calendar.addBusinessDays('2026-03-17T10:30:00+07:00', 1))).toBe('2026-03-25T10:30:00.000+07:00');
    const wit = DateTime.fromISO('2026-03-17T16:00', { zone: 'Asia/Jayapura' });
    expect(iso(calendar.addBusinessDays(wit, 1))).toBe('2026-03-25T16:00:00.000+09:00');
  });

  it('counts from the local day of the zone: Friday night in Jakarta is Saturday in Jayapura', () => {
    const instant = new Date('2026-01-09T15:30:00Z');
    expect(iso(calendar.addBusinessDays(instant, 1, 'WIB'))).toBe('2026-01-12T22:30:00.000+07:00');
    expect(iso(calendar.addBusinessDays(instant, 1, 'WIT'))).toBe('2026-01-12T00:30:00.000+09:00');
    expect(iso(calendar.addBusinessDays(instant, 1, 'ID-PA'))).toBe('2026-01-12T00:30:00.000+09:00');
  });

  it('returns the date itself for n = 0 and refuses fractions', () => {
    expect(calendar.addBusinessDays('2026-03-21', 0).toISODate()).toBe('2026-03-21');
    expect(() => calendar.addBusinessDays('2026-03-21', 1.5)).toThrow(RangeError);
  });

  it('crosses the change of year over Christmas, its cuti bersama and New Year', () => {
    expect(calendar.addBusinessDays('2025-12-24', 1).toISODate()).toBe('2025-12-29');
    expect(calendar.addBusinessDays('2025-12-31', 1).toISODate()).toBe('2026-01-02');
    expect(calendar.addBusinessDays('2026-01-02', -1).toISODate()).toBe('2025-12-31');
    expect(calendar.addBusinessDays('2026-12-23', 1).toISODate()).toBe('2026-12-28');
  });

  it('skips only weekends in a year without decree data', () => {
    expect(calendar.addBusinessDays('2027-12-23', 1).toISODate()).toBe('2027-12-27');
    expect(calendar.addBusinessDays('2027-12-31', 1).toISODate()).toBe('2028-01-03');
    expect(calendar.isBusinessDay('2028-05-01')).toBe(true);
    expect(calendar.holidaysKnown(2028)).toBe(false);
  });
});

describe('businessDaysBetween', () => {
  it('counts the working days after the first date up to the second', () => {
    expect(calendar.businessDaysBetween('2026-03-17', '2026-03-25')).toBe(1);
    expect(cutiOpen.businessDaysBetween('2026-03-17', '2026-03-25')).toBe(5);
    expect(calendar.businessDaysBetween('2026-03-25', '2026-03-17')).toBe(-1);
    expect(calendar.businessDaysBetween('2026-03-25', '2026-03-25')).toBe(0);
  });
});

describe('business hours and nextBusinessOpen', () => {
  it('is open at 16:59 and closed at 17:00 in Jayapura', () => {
    expect(calendar.isBusinessHours(at('2026-03-02', '16:59', '+09:00'), 'Asia/Jayapura')).toBe(true);
    expect(calendar.isBusinessHours(at('2026-03-02', '17:00', '+09:00'), 'Asia/Jayapura')).toBe(false);
    expect(calendar.isBusinessHours(at('2026-03-02', '08:59', '+09:00'), 'Asia/Jayapura')).toBe(false);
    expect(calendar.isBusinessHours(at('2026-03-02', '09:00', '+09:00'), 'Asia/Jayapura')).toBe(true);
  });

  it('returns the moment itself while open', () => {
    expect(iso(calendar.nextBusinessOpen('2026-03-17T16:59:00+07:00'))).toBe('2026-03-17T16:59:00.000+07:00');
  });

  it('opens at 09:00 the same day before opening time', () => {
    expect(iso(calendar.nextBusinessOpen('2026-03-17T06:00:00+07:00'))).toBe('2026-03-17T09:00:00.000+07:00');
  });

  it('after closing, opens on the next business day past the holidays', () => {
    expect(iso(calendar.nextBusinessOpen('2026-03-17T17:00:00+07:00'))).toBe('2026-03-25T09:00:00.000+07:00');
    expect(iso(cutiOpen.nextBusinessOpen('2026-03-17T17:00:00+07:00'))).toBe('2026-03-18T09:00:00.000+07:00');
  });

  it('on Friday evening in WIT opens Monday 09:00 WIT', () => {
    expect(iso(calendar.nextBusinessOpen(at('2026-01-09', '18:00', '+09:00'), 'WIT'))).toBe('2026-01-12T09:00:00.000+09:00');
  });

  it('follows a configured window and week', () => {
    const shop = new IndonesianCalendar({ config: { businessHours: { start: '08:30', end: '21:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] } } });
    expect(shop.isBusinessDay('2026-01-10')).toBe(true);
    expect(shop.isBusinessHours('2026-01-10T20:59:00+07:00')).toBe(true);
    expect(shop.isBusinessHours('2026-01-10T21:00:00+07:00')).toBe(false);
    expect(iso(shop.nextBusinessOpen('2026-01-10T21:00:00+07:00'))).toBe('2026-01-12T08:30:00.000+07:00');
  });
});

describe('decree data warning', () => {
  it('warns within 90 days of the end of the data, naming the year to add', () => {
    expect(decreeDataWarning(calendar, Date.parse('2027-10-15T00:00:00Z'))).toMatch(/ends on 2027-12-31.*2028 decree/);
  });

  it('stays quiet with more than 90 days left', () => {
    expect(decreeDataWarning(calendar, Date.parse('2027-09-01T00:00:00Z'))).toBeUndefined();
  });
});
