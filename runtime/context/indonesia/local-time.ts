import { IANAZone } from 'luxon';

/**
 * Civil-date arithmetic on plain numbers. The context provider runs once per delivery, so it works
 * on epoch milliseconds and "day numbers" (days since 1970-01-01 as a civil date) instead of
 * building luxon DateTimes: luxon is only asked for a zone's UTC offset, once per zone and hour.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` → day number. */
export function dayNumberOfIso(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function dayNumberOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Day number → `YYYY-MM-DD`. */
export function isoOfDayNumber(dn: number): string {
  return new Date(dn * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(dn: number): number {
  return ((((dn + 3) % 7) + 7) % 7) + 1;
}

/** Gregorian year and month (1–12) of a day number. */
export function yearMonthOfDayNumber(dn: number): { year: number; month: number } {
  const d = new Date(dn * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && isoOfDayNumber(dayNumberOfIso(s)) === s;
}

/** `HH:MM` (00:00–24:00) → minutes after midnight. */
export function minutesOfHHMM(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Offset minutes → `+07:00`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `${sign}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
}

/** Where an instant falls on the local calendar of a zone. */
export interface LocalInstant {
  /** civil day number in the zone */
  dn: number;
  /** minutes after local midnight, 0–1439 */
  minuteOfDay: number;
  /** UTC offset in minutes at that instant */
  offset: number;
  /** epoch ms shifted by the offset: its UTC fields are the local wall-clock fields */
  wallMs: number;
}

const MAX_CACHED_HOURS = 50_000;

/**
 * One IANA zone's offsets, cached per UTC hour. An hour is only cached when the offset is the same
 * at both its ends, so a DST change inside an hour (zones with :30 offsets) is never cached wrong;
 * Indonesian zones have had no DST since 1964 and always hit the cache.
 */
export class ZoneClock {
  readonly tz: string;
  private readonly zone: IANAZone;
  private readonly hours = new Map<number, number>();
  private lastHour = Number.NaN;
  private lastOffset = 0;

  constructor(tz: string) {
    this.tz = tz;
    this.zone = IANAZone.create(tz);
  }

  offsetMinutes(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    if (hour === this.lastHour) return this.lastOffset;
    let offset = this.hours.get(hour);
    if (offset === undefined) {
      const start = this.zone.offset(hour * HOUR_MS);
      if (start !== this.zone.offset(hour * HOUR_MS + HOUR_MS - 1)) return this.zone.offset(ts);
      if (this.hours.size >= MAX_CACHED_HOURS) this.hours.clear();
      this.hours.set(hour, start);
      offset = start;
    }
    this.lastHour = hour;
    this.lastOffset = offset;
    return offset;
  }

  local(ts: number): LocalInstant {
    const offset = this.offsetMinutes(ts);
    const wallMs = ts + offset * MINUTE_MS;
    const dn = Math.floor(wallMs / DAY_MS);
    return { dn, minuteOfDay: Math.floor((wallMs - dn * DAY_MS) / MINUTE_MS), offset, wallMs };
  }

  /** the last second formatted, up to and including its `.`, and its offset: events come many a second */
  private formattedSecond = Number.NaN;
  private formattedOffset = 0;
  private secondText = '';
  private offsetText = '';
  /** and the last whole result: events published in one millisecond share it (it is held as long as they are) */
  private formattedWall = Number.NaN;
  private formatted = '';

  /** RFC 3339 local time with offset, e.g. `2026-03-02T16:59:00.000+09:00`. */
  format(ts: number): string {
    const offset = this.offsetMinutes(ts);
    const wall = Math.floor(ts + offset * MINUTE_MS);
    if (wall === this.formattedWall && offset === this.formattedOffset) return this.formatted;
    const second = Math.floor(wall / 1000);
    if (second !== this.formattedSecond || offset !== this.formattedOffset) {
      // toISOString ends in `.sssZ` for every year, including the six-digit ones
      this.secondText = new Date(second * 1000).toISOString().slice(0, -4);
      this.offsetText = formatOffset(offset);
      this.formattedSecond = second;
      this.formattedOffset = offset;
    }
    const ms = wall - second * 1000;
    this.formattedWall = wall;
    this.formatted = this.secondText + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms + this.offsetText;
    return this.formatted;
  }
}

const clocks = new Map<string, ZoneClock>();

/** The shared ZoneClock of an IANA zone (zones are few; clocks live for the process). */
export function zoneClock(tz: string): ZoneClock {
  let clock = clocks.get(tz);
  if (!clock) {
    clock = new ZoneClock(tz);
    clocks.set(tz, clock);
  }
  return clock;
}

export function isValidTimeZone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}
