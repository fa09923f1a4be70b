import type { ModelFit } from './holt-winters.ts';

/**
 * The fallbacks for histories too short for a weekly model (fewer than two weeks cannot separate
 * trend from weekday), and the seasonal-naive baseline the accuracy test must beat.
 */

/** Simple exponential smoothing, α by least squares over [0.01, 0.99] (golden-section search). */
export function fitSes(y: readonly number[]): ModelFit {
  const run = (alpha: number, fitted?: number[]) => {
    let level = y[0];
    let sse = 0;
    for (let t = 0; t < y.length; t++) {
      if (fitted) fitted[t] = level;
      const e = y[t] - level;
      // the first value seeds the level: its "error" is zero and says nothing about α
      if (t > 0) sse += e * e;
      level += alpha * e;
    }
    return { sse, level };
  };
  let lo = 0.01;
  let hi = 0.99;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (run(a).sse <= run(b).sse) hi = b;
    else lo = a;
  }
  const alpha = (lo + hi) / 2;
  const fitted = new Array<number>(y.length);
  const { sse, level } = run(alpha, fitted);
  const n = y.length;
  return {
    model: 'ses',
    params: { alpha },
    n,
    sse,
    sigma: Math.sqrt(sse / Math.max(1, n - 2)),
    fitted,
    forecast: (h) => new Array<number>(h).fill(level),
    // ETS(A,N,N): Var(e_h) = σ²(1 + (h−1)α²)
    varianceFactors: (h) => Array.from({ length: h }, (_, i) => 1 + i * alpha * alpha),
  };
}

/** The mean of what there is: for a handful of days nothing better is defensible. */
export function fitMean(y: readonly number[]): ModelFit {
  const n = y.length;
  const mean = n === 0 ? 0 : y.reduce((a, b) => a + b, 0) / n;
  const sse = y.reduce((a, v) => a + (v - mean) ** 2, 0);
  return {
    model: 'mean',
    params: {},
    n,
    sse,
    // with one or two days the spread is a guess: at least the mean itself (Poisson-like counts)
    sigma: Math.max(Math.sqrt(sse / Math.max(1, n - 1)), Math.sqrt(Math.max(mean, 0))),
    fitted: new Array<number>(n).fill(mean),
    forecast: (h) => new Array<number>(h).fill(mean),
    varianceFactors: (h) => new Array<number>(h).fill(1 + 1 / Math.max(1, n)),
  };
}

/** Seasonal naive: each day repeats the same weekday of the last full week. */
export function seasonalNaive(y: readonly number[], h: number, m = 7): number[] {
  if (y.length < m) throw new RangeError(`seasonal naive needs ${m} values, got ${y.length}`);
  return Array.from({ length: h }, (_, i) => y[y.length - m + (i % m)]);
}
