import { describe, expect, it } from 'vitest';
import { IndonesianCalendar, shippedCalendarData } from '../../../runtime/context/indonesia/index.ts';
import { at, plusDays, referenceRamadan } from './reference.ts';

const calendar = new IndonesianCalendar();
const rows = referenceRamadan.map((r) => [r.hijri_year, r.gregorian_year, r] as const);

describe('every Ramadan in the reference', () => {
  it.each(rows)('%s AH (%s): ramadanRange gives the official first and last day and Idul Fitri', (hijri, year, ref) => {
    expect(calendar.ramadanRange(year)).toMatchObject({
      hijriYear: hijri,
      start: ref.official.first_day,
      end: ref.official.last_day,
      idulFitri: ref.official.idul_fitri_1_syawal,
      source: ref.official.status.startsWith('decided') ? 'official' : 'projected',
    });
  });

  it.each(rows)('%s AH: every day from the first to the last is Ramadan, the day before and 1 Syawal are not', (_h, _y, ref) => {
    const { first_day: first, last_day: last, idul_fitri_1_syawal: fitri } = ref.official;
    expect(calendar.isRamadan(plusDays(first, -1))).toBe(false);
    for (let d = first; d <= last; d = plusDays(d, 1)) expect(calendar.isRamadan(d), d).toBe(true);
    expect(calendar.isRamadan(fitri)).toBe(false);
  });

  it.each(rows)('%s AH ends at local midnight in WIT: 23:59 on the last day is Ramadan, 00:00 on 1 Syawal is not', (_h, _y, ref) => {
    const { first_day: first, last_day: last, idul_fitri_1_syawal: fitri } = ref.official;
    expect(calendar.isRamadan(at(last, '23:59', '+09:00'), 'WIT')).toBe(true);
    expect(calendar.isRamadan(at(fitri, '00:00', '+09:00'), 'WIT')).toBe(false);
    expect(calendar.isRamadan(at(plusDays(first, -1), '23:59', '+09:00'), 'Asia/Jayapura')).toBe(false);
    expect(calendar.isRamadan(at(first, '00:00', '+09:00'), 'Asia/Jayapura')).toBe(true);
  });

  it.each(rows)('%s AH: the same instant is 1 Syawal in Jayapura and still Ramadan in Jakarta', (_h, _y, ref) => {
    // 15:30 UTC on the last day = 22:30 WIB (last day) = 00:30 WIT (1 Syawal)
    const instant = new Date(`${ref.official.last_day}T15:30:00Z`);
    expect(calendar.isRamadan(instant, 'Asia/Jakarta')).toBe(true);
    expect(calendar.isRamadan(instant, 'Asia/Jayapura')).toBe(false);
  });
});

describe('outside the official table: the islamic-umalqura calendar', () => {
  const noTable = new IndonesianCalendar({ data: { ...shippedCalendarData, ramadan: [] } });
  const withUmalqura = referenceRamadan.filter((r) => r.intl_calendars?.['islamic-umalqura']);

  it.each(withUmalqura.map((r) => [r.gregorian_year, r] as const))('%s: matches the umalqura range recorded in the reference', (year, ref) => {
    const u = ref.intl_calendars!['islamic-umalqura'];
    expect(noTable.ramadanRange(year)).toEqual({
      hijriYear: ref.hijri_year,
      start: u.start,
      end: u.end,
      idulFitri: u.shawwal_1,
      source: 'umalqura',
    });
  });

  it.each(withUmalqura.map((r) => [r.gregorian_year, r] as const))('%s: is never later than the official dates, and at most a day early', (year, ref) => {
    const r = noTable.ramadanRange(year);
    for (const [got, official] of [[r.start, ref.official.first_day], [r.end, ref.official.last_day]]) {
      const diff = (Date.parse(got) - Date.parse(official)) / 86_400_000;
      expect(diff).toBeLessThanOrEqual(0);
      expect(diff).toBeGreaterThanOrEqual(-1);
    }
  });

  it('answers for years after the table, Ramadan 1450 starting in January 2029', () => {
    expect(calendar.ramadanRange(2029)).toEqual({
      hijriYear: 1450, start: '2029-01-16', end: '2029-02-13', idulFitri: '2029-02-14', source: 'umalqura',
    });
    expect(calendar.isRamadan('2029-01-16')).toBe(true);
    expect(calendar.isRamadan('2029-02-14')).toBe(false);
  });

  it('gives the first Ramadan of a year that has two, and knows the second one by date', () => {
    expect(calendar.ramadanRange(2030)).toMatchObject({ hijriYear: 1451, start: '2030-01-05' });
    expect(calendar.isRamadan('2030-12-30')).toBe(true);
    // Ramadan 1452 began in December 2030, so the one that *begins* in 2031 is 1453
    expect(calendar.ramadanRange(2031)).toMatchObject({ hijriYear: 1453, start: '2031-12-16' });
  });
});

describe('nextRamadan', () => {
  it.each(rows)('%s AH: is the next Ramadan the day before it starts, and the same one up to its last day', (hijri, _y, ref) => {
    const { first_day: first, last_day: last } = ref.official;
    expect(calendar.nextRamadan(plusDays(first, -1))).toMatchObject({ hijriYear: hijri, start: first });
    expect(calendar.nextRamadan(plusDays(first, -300))).toMatchObject({ hijriYear: hijri, start: first });
    expect(calendar.nextRamadan(last)).toMatchObject({ hijriYear: hijri, end: last });
    expect(calendar.nextRamadan(ref.official.idul_fitri_1_syawal).hijriYear).toBe(hijri + 1);
  });

  it('finds the December Ramadan of a year that has two', () => {
    expect(calendar.nextRamadan('2030-06-01')).toMatchObject({ hijriYear: 1452, start: '2030-12-26' });
  });
});
