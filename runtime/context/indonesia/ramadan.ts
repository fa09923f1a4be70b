import { DateTime } from 'luxon';
import type { RamadanRow } from './data.ts';
import { dayNumberOf, dayNumberOfIso, isoOfDayNumber } from './local-time.ts';

/**
 * Ramadan as Indonesia observes it. The official table (sidang isbat) is the only authority for
 * every day between its first first_day and its last last_day; outside that span the
 * `islamic-umalqura` calendar stands in. The reference (ramadan.json) found umalqura 0–1 day
 * EARLY at either end in 2024–2028 and never late, which is the accepted error of the fallback.
 */

export interface RamadanRange {
  hijriYear: number;
  /** first day of fasting, `YYYY-MM-DD` local */
  start: string;
  /** last day of fasting */
  end: string;
  /** 1 Syawal (Lebaran), the day after `end` */
  idulFitri: string;
  /** official: decided by isbat; projected: decreed or computed ahead of isbat; umalqura: fallback */
  source: 'official' | 'projected' | 'umalqura';
}

/** A range with day numbers for cheap comparisons. */
export interface RamadanSpan extends RamadanRange {
  startDn: number;
  endDn: number;
}

interface Hijri {
  year: number;
  month: number;
  day: number;
}

const SYNODIC_MONTH = 29.530588;

export class RamadanTable {
  private readonly official: readonly RamadanSpan[];
  private readonly tableStart: number;
  private readonly tableEnd: number;
  private readonly officialYears: Set<number>;
  private readonly zone: string;
  private readonly hijriCache = new Map<number, Hijri>();
  private readonly fallbackByHijriYear = new Map<number, RamadanSpan>();

  /** `zone`: where a civil date is turned into a Hijri date for the fallback (the local zone). */
  constructor(rows: readonly RamadanRow[], zone = 'Asia/Jakarta') {
    this.zone = zone;
    this.official = [...rows]
      .sort((a, b) => a.hijri_year - b.hijri_year)
      .map((r) => ({
        hijriYear: r.hijri_year,
        start: r.first_day,
        end: r.last_day,
        idulFitri: r.idul_fitri_1_syawal,
        source: r.status.startsWith('decided') ? ('official' as const) : ('projected' as const),
        startDn: dayNumberOfIso(r.first_day),
        endDn: dayNumberOfIso(r.last_day),
      }));
    this.officialYears = new Set(this.official.map((s) => s.hijriYear));
    this.tableStart = this.official.length ? this.official[0].startDn : Number.POSITIVE_INFINITY;
    this.tableEnd = this.official.length ? this.official[this.official.length - 1].endDn : Number.NEGATIVE_INFINITY;
  }

  /** The Ramadan that contains a civil day, if it is a day of Ramadan. */
  spanContaining(dn: number): RamadanSpan | undefined {
    if (dn >= this.tableStart && dn <= this.tableEnd) {
      for (const s of this.official) if (dn >= s.startDn && dn <= s.endDn) return s;
      return undefined;
    }
    const h = this.hijriOf(dn);
    // umalqura runs up to a day early: its 1 Ramadan 1445 is the day before the official one, and
    // the table, not umalqura, decides any Hijri year it lists
    if (h.month !== 9 || this.officialYears.has(h.year)) return undefined;
    return this.fallbackSpan(h.year, dn - (h.day - 1));
  }

  /** The Ramadan that begins in a Gregorian year (the first one, in the years that have two). */
  rangeFor(year: number): RamadanRange {
    const official = this.official.find((s) => s.start.startsWith(`${year}-`));
    if (official) return strip(official);
    const jan1 = dayNumberOf(year, 1, 1);
    const h = this.hijriOf(jan1);
    const hijriYear = h.month < 9 ? h.year : h.year + 1;
    const listed = this.official.find((s) => s.hijriYear === hijriYear);
    if (listed) return strip(listed);
    return strip(this.fallbackSpan(hijriYear, this.estimateRamadanStart(jan1, h, hijriYear)));
  }

  /** The Ramadan in progress on a civil day, or else the next one to begin. */
  currentOrNext(dn: number): RamadanRange {
    const inside = this.spanContaining(dn);
    if (inside) return strip(inside);
    const h = this.hijriOf(dn);
    for (const hijriYear of [h.year, h.year + 1]) {
      const listed = this.official.find((s) => s.hijriYear === hijriYear);
      if (listed) {
        if (listed.startDn > dn) return strip(listed);
        continue;
      }
      // umalqura's Ramadan of this Hijri year has begun (or ended) when its month is 9 or later
      if (hijriYear === h.year && h.month >= 9) continue;
      const span = this.fallbackSpan(hijriYear, this.estimateRamadanStart(dn, h, hijriYear));
      if (span.startDn > dn) return strip(span);
    }
    throw new RangeError(`no Ramadan found after ${isoOfDayNumber(dn)}`);
  }

  private fallbackSpan(hijriYear: number, startHint: number): RamadanSpan {
    const cached = this.fallbackByHijriYear.get(hijriYear);
    if (cached) return cached;
    let startDn = startHint;
    // the estimate is within a few days of 1 Ramadan: walk there a day at a time
    for (let i = 0; i < 40 && !this.is(startDn, hijriYear, 9, 1); i++) {
      const h = this.hijriOf(startDn);
      if (h.year === hijriYear && h.month === 9) startDn -= h.day - 1;
      else startDn += h.year < hijriYear || (h.year === hijriYear && h.month < 9) ? 1 : -1;
    }
    const endDn = this.hijriOf(startDn + 29).month === 9 ? startDn + 29 : startDn + 28;
    const span: RamadanSpan = {
      hijriYear,
      start: isoOfDayNumber(startDn),
      end: isoOfDayNumber(endDn),
      idulFitri: isoOfDayNumber(endDn + 1),
      source: 'umalqura',
      startDn,
      endDn,
    };
    this.fallbackByHijriYear.set(hijriYear, span);
    return span;
  }

  private estimateRamadanStart(fromDn: number, from: Hijri, hijriYear: number): number {
    const months = (hijriYear - from.year) * 12 + (9 - from.month);
    return fromDn + Math.round(months * SYNODIC_MONTH) - (from.day - 1);
  }

  private is(dn: number, year: number, month: number, day: number): boolean {
    const h = this.hijriOf(dn);
    return h.year === year && h.month === month && h.day === day;
  }

  /** Hijri date of a civil day: formatted at local noon, so the zone never shifts the day. */
  private hijriOf(dn: number): Hijri {
    const hit = this.hijriCache.get(dn);
    if (hit) return hit;
    const civil = isoOfDayNumber(dn);
    const parts = DateTime.fromISO(`${civil}T12:00`, { zone: this.zone })
      .reconfigure({ locale: 'en-US', outputCalendar: 'islamic-umalqura' })
      .toLocaleParts({ year: 'numeric', month: 'numeric', day: 'numeric' });
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const h = { year: part('year'), month: part('month'), day: part('day') };
    if (this.hijriCache.size > 20_000) this.hijriCache.clear();
    this.hijriCache.set(dn, h);
    return h;
  }
}

function strip(s: RamadanSpan): RamadanRange {
  return { hijriYear: s.hijriYear, start: s.start, end: s.end, idulFitri: s.idulFitri, source: s.source };
}
