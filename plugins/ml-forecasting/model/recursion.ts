/**
 * The additive Holt-Winters recursions (fpp2's component form), on their own: the fit in
 * holt-winters.ts and the initial-state estimate in initial-state.ts both run them, and neither
 * should depend on the other to do so.
 */

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface HoltWintersState {
  level: number;
  trend: number;
  /** seasonal component by phase (time index mod period) */
  season: number[];
}

/** One pass of the recursions; returns the SSE and the state after the last value. */
export function runHoltWinters(
  y: readonly number[],
  m: number,
  { alpha, beta, gamma }: HoltWintersParams,
  init: HoltWintersState,
  fitted?: number[],
): { sse: number; state: HoltWintersState } {
  let level = init.level;
  let trend = init.trend;
  const season = [...init.season];
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const phase = t % m;
    const s = season[phase];
    const base = level + trend;
    const predicted = base + s;
    if (fitted) fitted[t] = predicted;
    const error = y[t] - predicted;
    sse += error * error;
    const previous = level;
    level = alpha * (y[t] - s) + (1 - alpha) * base;
    trend = beta * (level - previous) + (1 - beta) * trend;
    // fpp2's γ form: the seasonal state learns from y − ℓ_{t−1} − b_{t−1}, so s_t = s_{t−m} + γ·e_t
    season[phase] = gamma * (y[t] - base) + (1 - gamma) * s;
  }
  return { sse, state: { level, trend, season } };
}
