/**
 * The CPU-bound work of the benchmark: fitting an additive Holt-Winters model (weekly season) to a
 * 365-day sales series by grid search over alpha, beta and gamma, then forecasting two weeks —
 * what the ml-forecasting plugin does per SKU. ~1.7 ms on this 2-core box with a 10-step grid.
 */
export interface Fit {
  alpha: number;
  beta: number;
  gamma: number;
  sse: number;
  forecast: number[];
}

export function fitHoltWinters(y: readonly number[], season = 7, steps = 10, horizon = 14): Fit {
  const grid = Array.from({ length: steps }, (_, i) => (i + 0.5) / steps);
  let best: Omit<Fit, 'forecast'> = { alpha: 0, beta: 0, gamma: 0, sse: Infinity };
  for (const alpha of grid) {
    for (const beta of grid) {
      for (const gamma of grid) {
        const sse = run(y, season, alpha, beta, gamma, 0).sse;
        if (sse < best.sse) best = { alpha, beta, gamma, sse };
      }
    }
  }
  return { ...best, forecast: run(y, season, best.alpha, best.beta, best.gamma, horizon).forecast };
}

function run(y: readonly number[], m: number, alpha: number, beta: number, gamma: number, horizon: number) {
  let first = 0;
  let second = 0;
  for (let i = 0; i < m; i++) {
    first += y[i]!;
    second += y[i + m]!;
  }
  let level = first / m;
  let trend = (second - first) / (m * m);
  const seasonal = new Float64Array(m);
  for (let i = 0; i < m; i++) seasonal[i] = y[i]! - level;
  let sse = 0;
  for (let t = m; t < y.length; t++) {
    const s = seasonal[t % m]!;
    const err = y[t]! - (level + trend + s);
    sse += err * err;
    const prevLevel = level;
    level = alpha * (y[t]! - s) + (1 - alpha) * (level + trend);
    trend = beta * (level - prevLevel) + (1 - beta) * trend;
    seasonal[t % m] = gamma * (y[t]! - level) + (1 - gamma) * s;
  }
  const forecast: number[] = [];
  for (let h = 1; h <= horizon; h++) forecast.push(level + h * trend + seasonal[(y.length + h - 1) % m]!);
  return { sse, forecast };
}

/** A deterministic year of daily sales: trend, a weekly cycle (weekend peaks) and noise. */
export function salesSeries(seed: number, days = 365): number[] {
  let state = seed >>> 0 || 1;
  const noise = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: days }, (_, d) => 100 + d * 0.05 + (d % 7 >= 5 ? 30 : 0) + 10 * noise());
}

/** ~`units` × a fixed slice of arithmetic: the "small task" (calibrated to ~20 µs at start). */
export function smallWork(units: number): number {
  let acc = 0;
  for (let i = 0; i < units; i++) acc += Math.sqrt(i) * Math.sin(i);
  return acc;
}
