import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HolidayRow } from '../../../runtime/context/indonesia/index.ts';

/**
 * The reference set the calendar is checked against (`reference/`, with its README and SOURCES).
 * It is kept apart from the runtime's own data files so that an edit to the shipped data that
 * drifts from the decrees shows up as a failing comparison instead of moving both sides at once.
 */
const dir = fileURLToPath(new URL('./reference/', import.meta.url));

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

export const referenceHolidays: HolidayRow[] = read<HolidayRow[]>('holidays.json');

export const referenceRamadan: ReferenceRamadan[] = read<{ years: ReferenceRamadan[] }>('ramadan.json').years;

export const referenceProvinces: ReferenceProvince[] = read<ReferenceProvince[]>('provinces.json');

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
