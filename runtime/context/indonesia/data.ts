import holidaysFile from './data/holidays.json' with { type: 'json' };
import ramadanFile from './data/ramadan.json' with { type: 'json' };
import provincesFile from './data/provinces.json' with { type: 'json' };
import type { ProvinceRow } from './zones.ts';

/** One day off in data/holidays.json (field names as in the reference table). */
export interface HolidayRow {
  date: string;
  name_id: string;
  name_en: string;
  kind: 'national_holiday' | 'cuti_bersama';
  weekday: string;
  source: string;
  name_id_alt?: string;
  note?: string;
}

/** Which decree covers a year: a year listed here has every day off in `holidays`. */
export interface DecreeYear {
  decree: string;
  amendments: string[];
  status: string;
}

/** One Hijri year in data/ramadan.json: civil dates in Indonesia, first..last inclusive. */
export interface RamadanRow {
  hijri_year: number;
  gregorian_year: number;
  first_day: string;
  last_day: string;
  idul_fitri_1_syawal: string;
  status: string;
  basis?: string;
}

/** Everything the calendar is built from; tests and future years can pass their own. */
export interface CalendarData {
  years: Record<string, DecreeYear>;
  holidays: readonly HolidayRow[];
  ramadan: readonly RamadanRow[];
  provinces: readonly ProvinceRow[];
}

/** The data shipped in runtime/context/indonesia/data (see its README for the yearly update). */
export const shippedCalendarData: CalendarData = {
  years: holidaysFile.years as Record<string, DecreeYear>,
  holidays: holidaysFile.holidays as HolidayRow[],
  ramadan: ramadanFile.years as RamadanRow[],
  provinces: provincesFile as ProvinceRow[],
};
