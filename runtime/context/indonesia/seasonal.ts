import type { IndonesianContextConfig } from './config.ts';

/**
 * The seasonal demand factor of a day: the month's multiplier times the Ramadan uplift, or, in the
 * last `preLebaranDays` days before Idul Fitri, the (larger) pre-Lebaran uplift instead. The two
 * uplifts do not stack: pre-Lebaran days are Ramadan days with a stronger effect, not a second one.
 */

export interface SeasonalInputs {
  /** 1–12 */
  month: number;
  ramadan: boolean;
  /** whole days from this day to 1 Syawal (1 on the last day of Ramadan); undefined outside Ramadan */
  daysToLebaran?: number;
}

export type SeasonalConfig = Pick<
  IndonesianContextConfig,
  'seasonalFactors' | 'ramadanUplift' | 'preLebaranUplift' | 'preLebaranDays'
>;

export function isPreLebaran(daysToLebaran: number | undefined, cfg: Pick<SeasonalConfig, 'preLebaranDays'>): boolean {
  return daysToLebaran !== undefined && daysToLebaran >= 1 && daysToLebaran <= cfg.preLebaranDays;
}

export function seasonalFactor(day: SeasonalInputs, cfg: SeasonalConfig): number {
  const monthly = cfg.seasonalFactors[day.month - 1] ?? 1;
  const uplift = isPreLebaran(day.daysToLebaran, cfg) ? cfg.preLebaranUplift : day.ramadan ? cfg.ramadanUplift : 1;
  return roundFactor(monthly * uplift);
}

/** Four decimals: enough for a multiplier, and 1.2 × 1.5 reads 1.8, not 1.7999999999999998. */
export function roundFactor(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** The wire form: CloudEvents has no float, so the factor travels as a decimal string. */
export function formatFactor(x: number): string {
  const r = roundFactor(x);
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}
