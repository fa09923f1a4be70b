import { DateTime } from 'luxon';
import type { HolidayInfo } from '../../events/types.ts';
import { parseIndonesianContextConfig, type IndonesianContextConfig, type IndonesianContextConfigInput } from './config.ts';
import { shippedCalendarData, type CalendarData } from './data.ts';
import { dayNumberOf, dayNumberOfIso, isoOfDayNumber, isValidTimeZone, minutesOfHHMM, weekdayOfDayNumber, yearMonthOfDayNumber, DAY_MS } from './local-time.ts';
import { RamadanTable, type RamadanRange } from './ramadan.ts';
import { isPreLebaran, seasonalFactor } from './seasonal.ts';
import { ProvinceDirectory, timezoneOf, type ProvinceZone } from './zones.ts';

/** An instant (Date, epoch ms, DateTime, ISO timestamp) or a civil date (`YYYY-MM-DD`). */
export type DateInput = Date | DateTime | string | number;

export type HolidayKind = 'national' | 'cuti-bersama';

export interface Holiday extends HolidayInfo {
  /** `YYYY-MM-DD` */
  date: string;
  name: string;
  nameEn: string;
  kind: HolidayKind;
}

/** Everything the calendar knows about one civil day (cached: the provider asks per delivery). */
export interface DayInfo {
  dn: number;
  date: string;
  year: number;
  month: number;
  /** ISO weekday, 1 = Monday */
  weekday: number;
  holiday?: Readonly<Holiday>;
  /** false when the year has no decree data: `holiday` is then unknown, not absent */
  holidaysKnown: boolean;
  businessDay: boolean;
  ramadan: boolean;
  /** days to 1 Syawal during Ramadan (1 on its last day) */
  daysToLebaran?: number;
  preLebaran: boolean;
  /** 1 or 2 Syawal */
  lebaran: boolean;
  seasonalFactor: number;
}

export interface CalendarOptions {
  config?: IndonesianContextConfigInput | IndonesianContextConfig;
  data?: CalendarData;
}

const MAX_CACHED_DAYS = 40_000;

/**
 * Indonesian business days, holidays and Ramadan for plugins (registered in the container as
 * `calendar`) and for the context provider. Holidays are national, so a civil day has one answer
 * in every zone; the zone only decides which civil day an instant falls on.
 * A `zone` argument is an IANA zone, `WIB`/`WITA`/`WIT` or a province code (`ID-PA`); without
 * one, a luxon DateTime is read in its own zone and anything else in the configured timezone.
 */
export class IndonesianCalendar {
  readonly config: IndonesianContextConfig;
  readonly provinces: ProvinceDirectory;
  /** minutes after local midnight the business day opens and closes (closed at `closeMinute`) */
  readonly openMinute: number;
  readonly closeMinute: number;
  private readonly holidaysByDn = new Map<number, Readonly<Holiday>>();
  private readonly knownYears: Set<number>;
  private readonly ramadan: RamadanTable;
  private readonly workingWeekdays: boolean[] = new Array(8).fill(false);
  private readonly days = new Map<number, DayInfo>();
  private readonly lastDecreeYear: number | undefined;

  constructor(options: CalendarOptions = {}) {
    this.config = parseIndonesianContextConfig(options.config ?? {});
    const data = options.data ?? shippedCalendarData;
    this.provinces = new ProvinceDirectory(data.provinces);
    this.ramadan = new RamadanTable(data.ramadan, this.config.timezone);
    this.knownYears = new Set(Object.keys(data.years).map(Number));
    this.lastDecreeYear = this.knownYears.size ? Math.max(...this.knownYears) : undefined;
    for (const row of data.holidays) {
      this.holidaysByDn.set(
        dayNumberOfIso(row.date),
        Object.freeze({
          date: row.date,
          name: row.name_id,
          nameEn: row.name_en,
          kind: row.kind === 'cuti_bersama' ? ('cuti-bersama' as const) : ('national' as const),
        }),
      );
    }
    for (const d of this.config.businessHours.days) this.workingWeekdays[d] = true;
    this.openMinute = minutesOfHHMM(this.config.businessHours.start);
    this.closeMinute = minutesOfHHMM(this.config.businessHours.end);
  }

  /** The cached facts of a civil day number (days since 1970-01-01). */
  day(dn: number): DayInfo {
    const hit = this.days.get(dn);
    if (hit) return hit;
    const { year, month } = yearMonthOfDayNumber(dn);
    const weekday = weekdayOfDayNumber(dn);
    const holidaysKnown = this.knownYears.has(year);
    const holiday = holidaysKnown ? this.holidaysByDn.get(dn) : undefined;
    const closedForHoliday =
      holiday !== undefined && (holiday.kind === 'national' || !this.config.cutiBersamaIsBusinessDay);
    const span = this.ramadan.spanContaining(dn);
    const daysToLebaran = span ? span.endDn + 1 - dn : undefined;
    const info: DayInfo = {
      dn,
      date: isoOfDayNumber(dn),
      year,
      month,
      weekday,
      holiday,
      holidaysKnown,
      businessDay: this.workingWeekdays[weekday] && !closedForHoliday,
      ramadan: span !== undefined,
      daysToLebaran,
      preLebaran: isPreLebaran(daysToLebaran, this.config),
      lebaran: this.endsRamadan(dn - 1) || this.endsRamadan(dn - 2),
      seasonalFactor: seasonalFactor({ month, ramadan: span !== undefined, daysToLebaran }, this.config),
    };
    if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
    this.days.set(dn, info);
    return info;
  }

  isBusinessDay(date: DateInput, zone?: string): boolean {
    return this.day(this.dayNumber(this.toLocal(date, zone))).businessDay;
  }

  /** Open now: a business day, between `businessHours.start` (inclusive) and `.end` (exclusive). */
  isBusinessHours(date: DateInput, zone?: string): boolean {
    const local = this.toLocal(date, zone);
    const minute = local.hour * 60 + local.minute;
    return this.day(this.dayNumber(local)).businessDay && minute >= this.openMinute && minute < this.closeMinute;
  }

  /** The national holiday or cuti bersama on that local day; undefined also in unknown years (see holidaysKnown). */
  isHoliday(date: DateInput, zone?: string): HolidayInfo | undefined {
    const h = this.day(this.dayNumber(this.toLocal(date, zone))).holiday;
    return h ? { name: h.name, nameEn: h.nameEn, kind: h.kind } : undefined;
  }

  isRamadan(date: DateInput, zone?: string): boolean {
    return this.day(this.dayNumber(this.toLocal(date, zone))).ramadan;
  }

  /**
   * `n` business days later (or earlier, for negative n), at the same local time of day.
   * A day off in the way is skipped; n = 0 returns the date itself. In a year without decree data
   * only weekends are skipped: check `holidaysKnown(year)` where that matters.
   */
  addBusinessDays(date: DateInput, n: number, zone?: string): DateTime {
    if (!Number.isInteger(n)) throw new RangeError(`addBusinessDays: n must be an integer, got ${n}`);
    const local = this.toLocal(date, zone);
    const step = n < 0 ? -1 : 1;
    let dn = this.dayNumber(local);
    const from = dn;
    for (let left = Math.abs(n); left > 0; ) {
      dn += step;
      if (this.day(dn).businessDay) left--;
    }
    return local.plus({ days: dn - from });
  }

  /** When business next opens at or after the date: the date itself while open. */
  nextBusinessOpen(date: DateInput, zone?: string): DateTime {
    const local = this.toLocal(date, zone);
    let dn = this.dayNumber(local);
    const minute = local.hour * 60 + local.minute;
    if (this.day(dn).businessDay && minute < this.closeMinute) {
      if (minute >= this.openMinute) return local;
    } else {
      do dn++;
      while (!this.day(dn).businessDay);
    }
    const { year, month } = yearMonthOfDayNumber(dn);
    const day = new Date(dn * DAY_MS).getUTCDate();
    return DateTime.fromObject(
      { year, month, day, hour: Math.floor(this.openMinute / 60), minute: this.openMinute % 60 },
      { zone: local.zone },
    );
  }

  /** Business days from `a` to `b` (local days after a's up to b's, inclusive); negative when b is earlier. */
  businessDaysBetween(a: DateInput, b: DateInput, zone?: string): number {
    const from = this.dayNumber(this.toLocal(a, zone));
    const to = this.dayNumber(this.toLocal(b, zone));
    const step = to < from ? -1 : 1;
    let count = 0;
    for (let dn = from; dn !== to; ) {
      dn += step;
      if (this.day(dn).businessDay) count += step;
    }
    return count;
  }

  /** Whether a decree covers the year; if not, its holidays are unknown (never guessed). */
  holidaysKnown(year: number): boolean {
    return this.knownYears.has(year);
  }

  /** The year's holidays and cuti bersama in date order; empty for a year without data. */
  holidaysOf(year: number): Holiday[] {
    if (!this.knownYears.has(year)) return [];
    return [...this.holidaysByDn.values()]
      .filter((h) => h.date.startsWith(`${year}-`))
      .sort((a, b) => (a.date < b.date ? -1 : 1))
      .map((h) => ({ ...h }));
  }

  /** The official range of the Ramadan beginning that year; islamic-umalqura outside the table. */
  ramadanRange(year: number): RamadanRange {
    return this.ramadan.rangeFor(year);
  }

  /** The Ramadan in progress on that local day, or else the next one to begin. */
  nextRamadan(date: DateInput, zone?: string): RamadanRange {
    return this.ramadan.currentOrNext(this.dayNumber(this.toLocal(date, zone)));
  }

  zoneForProvince(code: string): ProvinceZone | undefined {
    return this.provinces.get(code);
  }

  /** The last day the decree data covers (31 Dec of the last decreed year). */
  dataEndsOn(): string | undefined {
    return this.lastDecreeYear === undefined ? undefined : `${this.lastDecreeYear}-12-31`;
  }

  /** An IANA zone for a zone argument: IANA name, WIB/WITA/WIT, or a province code or name. */
  resolveZone(zone: string): string {
    const tz = timezoneOf(zone);
    if (isValidTimeZone(tz)) return tz;
    const province = this.provinces.get(zone);
    if (province) return province.timezone;
    throw new RangeError(`unknown zone "${zone}": use an IANA zone (Asia/Jayapura), WIB/WITA/WIT or a province code (ID-PA)`);
  }

  private toLocal(date: DateInput, zone?: string): DateTime {
    const tz = zone === undefined ? undefined : this.resolveZone(zone);
    let dt: DateTime;
    if (DateTime.isDateTime(date)) {
      // a DateTime made in the process's own zone says nothing about Indonesia: use the config's
      dt = tz ? date.setZone(tz) : date.zone.type === 'system' ? date.setZone(this.config.timezone) : date;
    } else if (typeof date === 'string') {
      dt = DateTime.fromISO(date, { zone: tz ?? this.config.timezone });
    } else {
      dt = DateTime.fromMillis(typeof date === 'number' ? date : date.getTime(), { zone: tz ?? this.config.timezone });
    }
    if (!dt.isValid) throw new RangeError(`not a date: ${String(date)} (${dt.invalidExplanation ?? dt.invalidReason})`);
    return dt;
  }

  private dayNumber(dt: DateTime): number {
    return dayNumberOf(dt.year, dt.month, dt.day);
  }

  private endsRamadan(dn: number): boolean {
    const span = this.ramadan.spanContaining(dn);
    return span !== undefined && span.endDn === dn;
  }
}

/**
 * The warning the host logs at start when the decree data runs out soon (within 90 days: the next decree is published each September),
 * or undefined when there is time left.
 */
export function decreeDataWarning(calendar: IndonesianCalendar, nowMs: number, withinDays = 90): string | undefined {
  const ends = calendar.dataEndsOn();
  const today = Math.floor(nowMs / DAY_MS);
  if (ends !== undefined && dayNumberOfIso(ends) - today > withinDays) return undefined;
  const next = ends ? Number(ends.slice(0, 4)) + 1 : new Date(nowMs).getUTCFullYear();
  return (
    `runtime/context/indonesia/data/holidays.json: holiday data ${ends ? `ends on ${ends}` : 'is empty'}; ` +
    `events after that report holidays as unknown. Add the ${next} decree (SKB 3 Menteri, published each ` +
    `September) as data/README.md describes.`
  );
}
