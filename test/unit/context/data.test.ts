import { describe, expect, it } from 'vitest';
import { shippedCalendarData as shipped } from '../../../runtime/context/indonesia/index.ts';
import { referenceHolidays, referenceProvinces, referenceRamadan, plusDays } from './reference.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

describe('shipped calendar data', () => {
  it('has unique holiday dates, each with the weekday it claims and a known kind', () => {
    const dates = shipped.holidays.map((h) => h.date);
    expect(new Set(dates).size).toBe(dates.length);
    for (const h of shipped.holidays) {
      expect(WEEKDAYS[new Date(`${h.date}T00:00:00Z`).getUTCDay()], h.date).toBe(h.weekday);
      expect(['national_holiday', 'cuti_bersama'], h.date).toContain(h.kind);
      expect(h.name_id.length, h.date).toBeGreaterThan(0);
      expect(h.name_en.length, h.date).toBeGreaterThan(0);
    }
  });

  it('lists every year that has holidays as a decree year, and every decree year has holidays', () => {
    const holidayYears = new Set(shipped.holidays.map((h) => h.date.slice(0, 4)));
    expect([...holidayYears].sort()).toEqual(Object.keys(shipped.years).sort());
  });

  it('keeps Ramadan years consecutive, each idul fitri the day after the last day', () => {
    shipped.ramadan.forEach((r, i) => {
      if (i > 0) expect(r.hijri_year).toBe(shipped.ramadan[i - 1].hijri_year + 1);
      expect(plusDays(r.last_day, 1)).toBe(r.idul_fitri_1_syawal);
      const days = (Date.parse(r.last_day) - Date.parse(r.first_day)) / 86_400_000 + 1;
      expect([29, 30]).toContain(days);
    });
  });

  it('has the 38 provinces with unique codes', () => {
    expect(shipped.provinces).toHaveLength(38);
    expect(new Set(shipped.provinces.map((p) => p.code)).size).toBe(38);
  });
});

describe('shipped data against the reference set in test/unit/context/reference', () => {
  it.each(referenceHolidays.map((h) => [h.date, h] as const))('holiday %s is shipped unchanged', (date, ref) => {
    expect(shipped.holidays.find((h) => h.date === date)).toEqual(ref);
  });

  it.each(referenceRamadan.map((r) => [r.hijri_year, r] as const))('Ramadan %s is shipped with the official dates', (hijri, ref) => {
    const row = shipped.ramadan.find((r) => r.hijri_year === hijri);
    expect(row).toMatchObject({
      gregorian_year: ref.gregorian_year,
      first_day: ref.official.first_day,
      last_day: ref.official.last_day,
      idul_fitri_1_syawal: ref.official.idul_fitri_1_syawal,
      status: ref.official.status,
    });
  });

  it.each(referenceProvinces.map((p) => [p.code, p] as const))('province %s is shipped unchanged (plus its region)', (code, ref) => {
    const { region, ...row } = shipped.provinces.find((p) => p.code === code)!;
    expect(row).toEqual(ref);
    expect(region.length).toBeGreaterThan(0);
  });
});
