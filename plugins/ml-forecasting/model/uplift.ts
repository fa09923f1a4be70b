/**
 * The Ramadan and pre-Lebaran uplift. Holt-Winters knows the week, not the Hijri calendar: left
 * alone it reads a month of Ramadan demand as a change of level and trend, carries that into the
 * weeks after Lebaran, and forecasts a Ramadan ahead at the ordinary level. So the known uplift
 * days are divided out before fitting and multiplied back onto the forecast days.
 *
 * The factor of each kind of day is estimated from the history where it has such days (sales on
 * those days against the same weekday on ordinary days around them) and shrunk towards the
 * calendar's configured uplift, which alone stands in when the history has none.
 */

/** 0 ordinary, 1 Ramadan, 2 the last days before Lebaran (pre-Lebaran), 3 Lebaran (1–2 Syawal) */
export type DayClass = 0 | 1 | 2 | 3;
export const DAY_CLASSES = ['ordinary', 'ramadan', 'preLebaran', 'lebaran'] as const;

export interface UpliftPriors {
  ramadan: number;
  preLebaran: number;
  /** shops close and travellers are home: no uplift assumed unless the history shows one */
  lebaran: number;
}

/** What the classification needs of a calendar: IndonesianCalendar.day() fits. */
export interface DayFacts {
  day(dn: number): { ramadan: boolean; preLebaran: boolean; lebaran: boolean };
}

export function classifyDays(calendar: DayFacts, firstDayNumber: number, count: number): DayClass[] {
  return Array.from({ length: count }, (_, i) => {
    const d = calendar.day(firstDayNumber + i);
    return d.preLebaran ? 2 : d.ramadan ? 1 : d.lebaran ? 3 : 0;
  });
}

export interface UpliftEstimate {
  /** multiplier by DayClass (index 0 is 1) */
  factors: [number, number, number, number];
  /** uplift days in the history that informed each factor */
  observed: [number, number, number, number];
}

export interface UpliftOptions {
  /** weight of the prior, in days of evidence */
  priorWeightDays?: number;
  /** how far (days) to look for ordinary same-weekday days around an uplift day */
  windowDays?: number;
}

export function estimateUplift(y: readonly number[], classes: readonly DayClass[], priors: UpliftPriors, options: UpliftOptions = {}): UpliftEstimate {
  const k = options.priorWeightDays ?? 14;
  const window = options.windowDays ?? 42;
  const sums = [0, 0, 0, 0];
  const bases = [0, 0, 0, 0];
  const observed: UpliftEstimate['observed'] = [0, 0, 0, 0];
  for (let t = 0; t < y.length; t++) {
    const c = classes[t];
    if (c === 0) continue;
    let base = 0;
    let count = 0;
    for (let s = t - window; s <= t + window; s += 7) {
      if (s < 0 || s >= y.length || s === t || classes[s] !== 0) continue;
      base += y[s];
      count++;
    }
    // one ordinary neighbour is too thin a baseline for a day whose demand is itself noisy
    if (count < 2) continue;
    sums[c] += y[t];
    bases[c] += base / count;
    observed[c]++;
  }
  const prior = [1, priors.ramadan, priors.preLebaran, priors.lebaran];
  const factors = prior.map((p, c) => {
    if (c === 0 || observed[c] === 0 || bases[c] <= 0) return p;
    const ratio = Math.min(5, Math.max(0.2, sums[c] / bases[c]));
    return (observed[c] * ratio + k * p) / (observed[c] + k);
  }) as UpliftEstimate['factors'];
  return { factors, observed };
}

export function deseasonalise(y: readonly number[], classes: readonly DayClass[], factors: readonly number[]): number[] {
  return y.map((v, t) => v / factors[classes[t]]);
}
