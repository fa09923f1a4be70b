import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { shippedCalendarData, type HolidayRow } from '../../../runtime/context/indonesia/index.ts';

/**
 * The reference set the calendar is checked against: ../shared/reference/indonesia (beside the
 * repository, in CI too). Without it the tests fall back to the shipped copy, so they still assert
 * every entry; the comparison of the copy with the reference is then skipped.
 */
const dir = fileURLToPath(new URL('../../../../shared/reference/indonesia/', import.meta.url));
export const referenceAvailable = existsSync(`${dir}holidays.json`);

function read<T>(file: string): T {
  return JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as T;
}

export interface ReferenceRamadan {
  hijri_year: number;
  gregorian_year: number;
  official: { first_day: string; last_day: string; idul_fitri_1_syawal: string; status: string };
  intl_calendars?: Record<string, { start: string; end: string; shawwal_1: string }>;
}

export interface ReferenceProvince {
  code: string;
  kemendagri_code: string;
  name: string;
  name_en: string;
  tz: string;
  zone: 'WIB' | 'WITA' | 'WIT';
  utc_offset: string;
  [key: string]: unknown;
}

export const referenceHolidays: HolidayRow[] = referenceAvailable
  ? read<HolidayRow[]>('holidays.json')
  : [...shippedCalendarData.holidays];

export const referenceRamadan: ReferenceRamadan[] = referenceAvailable
  ? read<{ years: ReferenceRamadan[] }>('ramadan.json').years
  : shippedCalendarData.ramadan.map((r) => ({
      hijri_year: r.hijri_year,
      gregorian_year: r.gregorian_year,
      official: { first_day: r.first_day, last_day: r.last_day, idul_fitri_1_syawal: r.idul_fitri_1_syawal, status: r.status },
    }));

export const referenceProvinces: ReferenceProvince[] = referenceAvailable
  ? read<ReferenceProvince[]>('provinces.json')
  : (shippedCalendarData.provinces as unknown as ReferenceProvince[]);

/** The instant of a local wall-clock time: `at('2026-03-02', '16:59', '+09:00')`. */
export function at(date: string, time: string, offset = '+07:00'): Date {
  return new Date(`${date}T${time}:00${offset}`);
}

/** The civil date n days after an ISO date. */
export function plusDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** A CloudEvent at an instant, for the provider. */
export function eventAt(time: string | Date, extra: Record<string, unknown> = {}) {
  return {
    specversion: '1.0' as const,
    id: 'e1',
    source: 'test',
    type: 'orders.order.created',
    time: typeof time === 'string' ? time : time.toISOString(),
    datacontenttype: 'application/json' as const,
    data: {},
    ...extra,
  };
}
