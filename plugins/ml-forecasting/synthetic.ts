import { IndonesianCalendar } from 'stokcerdas/context';
import { classifyDays, type DayClass } from './model/uplift.ts';

/**
 * Generated daily demand for the accuracy test and the plugin tests: trend, weekly pattern,
 * noise, and the Ramadan / pre-Lebaran / Lebaran effects on the days the real calendar gives.
 * Seeded, so every run sees the same series.
 */

/** mulberry32: a tiny, well-mixed 32-bit PRNG; good enough for test data, not for anything else. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export interface SeriesSpec {
  seed: number;
  /** last day, `YYYY-MM-DD` */
  end: string;
  days: number;
  /** demand on the first day */
  base?: number;
  /** change of the level per day as a share of base (0.001 = +0.1 % of base a day) */
  trend?: number;
  /** multipliers Monday … Sunday */
  weekly?: readonly number[];
  /** noise standard deviation as a share of the day's expected demand */
  noise?: number;
  ramadan?: number;
  preLebaran?: number;
  lebaran?: number;
}

export interface GeneratedSeries {
  start: string;
  values: number[];
  classes: DayClass[];
  /** first day number, for classifying the days after the series */
  firstDayNumber: number;
}

const DAY_MS = 86_400_000;
const calendar = new IndonesianCalendar();
const dayNumberOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
export const isoOf = (dn: number) => new Date(dn * DAY_MS).toISOString().slice(0, 10);

export function generateSeries(spec: SeriesSpec): GeneratedSeries {
  const rand = prng(spec.seed);
  const base = spec.base ?? 40;
  const weekly = spec.weekly ?? [0.9, 0.85, 0.9, 0.95, 1.05, 1.3, 1.2];
  const effect = [1, spec.ramadan ?? 1.3, spec.preLebaran ?? 1.7, spec.lebaran ?? 0.6];
  const first = dayNumberOf(spec.end) - spec.days + 1;
  const classes = classifyDays(calendar, first, spec.days);
  const values = classes.map((c, t) => {
    const weekday = (((first + t + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
    const expected = base * (1 + (spec.trend ?? 0.001) * t) * weekly[weekday] * effect[c];
    return Math.max(0, Math.round(expected * (1 + (spec.noise ?? 0.12) * gaussian(rand))));
  });
  return { start: isoOf(first), values, classes, firstDayNumber: first };
}

export function classesFor(firstDayNumber: number, count: number): DayClass[] {
  return classifyDays(calendar, firstDayNumber, count);
}
