import { describe, expect, it } from 'vitest';
import { IndonesianCalendar } from '../../../runtime/context/indonesia/index.ts';
import { at, plusDays, referenceHolidays } from './reference.ts';

const calendar = new IndonesianCalendar();
const cutiOpen = new IndonesianCalendar({ config: { cutiBersamaIsBusinessDay: true } });
const kindOf = (k: string) => (k === 'cuti_bersama' ? 'cuti-bersama' : 'national');
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
const holidayDates = new Set(referenceHolidays.map((h) => h.date));
const years = [...new Set(referenceHolidays.map((h) => Number(h.date.slice(0, 4))))];

describe('every holiday and cuti bersama in the reference', () => {
  it.each(referenceHolidays.map((h) => [h.date, h.kind, h] as const))('%s (%s) is known by name and kind', (date, kind, ref) => {
    expect(calendar.isHoliday(date)).toEqual({ name: ref.name_id, nameEn: ref.name_en, kind: kindOf(kind) });
  });

  it.each(referenceHolidays.map((h) => [h.date, h] as const))('%s is a holiday from 00:00 to 23:59 local in WIB, WITA and WIT', (date, ref) => {
    for (const [zone, offset] of [['Asia/Jakarta', '+07:00'], ['Asia/Makassar', '+08:00'], ['Asia/Jayapura', '+09:00']]) {
      expect(calendar.isHoliday(at(date, '00:00', offset), zone)?.name, `${zone} 00:00`).toBe(ref.name_id);
      expect(calendar.isHoliday(at(date, '23:59', offset), zone)?.name, `${zone} 23:59`).toBe(ref.name_id);
    }
    // the same instant, 00:30 on the holiday in Jayapura, is still the day before in Jakarta
    const eve = plusDays(date, -1);
    expect(calendar.isHoliday(at(date, '00:30', '+09:00'), 'Asia/Jakarta')?.name).toBe(
      referenceHolidays.find((h) => h.date === eve)?.name_id,
    );
  });

  it.each(referenceHolidays.map((h) => [h.date, h.kind] as const))('%s (%s) is not a business day; cuti bersama is when configured so', (date, kind) => {
    expect(calendar.isBusinessDay(date)).toBe(false);
    expect(cutiOpen.isBusinessDay(date)).toBe(kind === 'cuti_bersama' && !isWeekend(date));
  });
});

describe('the days that are not in the reference', () => {
  it.each(years)('every other weekday of %s is a business day, every weekend day is not', (year) => {
    for (let date = `${year}-01-01`; date.startsWith(`${year}`); date = plusDays(date, 1)) {
      if (holidayDates.has(date)) continue;
      expect(calendar.isHoliday(date), date).toBeUndefined();
      expect(calendar.isBusinessDay(date), date).toBe(!isWeekend(date));
    }
  });

  it.each(years)('holidaysOf(%s) lists exactly the reference rows of that year, in date order', (year) => {
    const ref = referenceHolidays.filter((h) => h.date.startsWith(`${year}-`)).sort((a, b) => (a.date < b.date ? -1 : 1));
    expect(calendar.holidaysOf(year)).toEqual(
      ref.map((h) => ({ date: h.date, name: h.name_id, nameEn: h.name_en, kind: kindOf(h.kind) })),
    );
    expect(calendar.holidaysKnown(year)).toBe(true);
  });
});

describe('a year without decree data', () => {
  it('is unknown, not holiday-free', () => {
    expect(calendar.holidaysKnown(2028)).toBe(false);
    expect(calendar.holidaysKnown(2023)).toBe(false);
    expect(calendar.holidaysOf(2028)).toEqual([]);
    // 1 Jan 2028 will surely be New Year, but without a decree the calendar does not guess
    expect(calendar.isHoliday('2028-01-01')).toBeUndefined();
  });

  it('ends the data on 31 December of the last decreed year', () => {
    expect(calendar.dataEndsOn()).toBe(`${Math.max(...years)}-12-31`);
  });
});
