import { heuristicInitialState, optimalInitialState } from './initial-state.ts';
import { runHoltWinters, type HoltWintersParams } from './recursion.ts';
import { nelderMead } from './optimize.ts';

/**
 * Additive Holt-Winters (additive trend, additive seasonality of period m) in the component form
 * of Hyndman & Athanasopoulos (fpp2 §7.3), which is ETS(A,A,A) and so has analytic prediction
 * intervals. The smoothing parameters minimise the sum of squared one-step-ahead errors, as
 * statsmodels' `ExponentialSmoothing(y, trend='add', seasonal='add').fit()` does, within the same
 * bounds: 0 ≤ α ≤ 1, 0 ≤ β ≤ 1, 0 ≤ γ ≤ 1 − α. The initial states are estimated too (statsmodels'
 * default `initialization_method='estimated'`), by least squares instead of inside the search:
 * see initial-state.ts. The recursions themselves are in recursion.ts, which both build on.
 */

export { runHoltWinters, type HoltWintersParams, type HoltWintersState } from './recursion.ts';

export interface ModelFit {
  model: 'holt-winters' | 'holt-winters-no-trend' | 'ses' | 'mean';
  params: Partial<HoltWintersParams>;
  /** history length the model saw */
  n: number;
  sse: number;
  /** standard deviation of the one-step-ahead errors */
  sigma: number;
  /** one-step-ahead predictions for t = 0 … n−1 (what the model expected each day) */
  fitted: number[];
  /** point forecasts for the next h days */
  forecast(h: number): number[];
  /** variance of the h-step error relative to σ² (1 for h = 1), for h = 1 … h */
  varianceFactors(h: number): number[];
}

const BOUND = 1e-4;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/** Unconstrained search space → statsmodels' bounds (γ is a share of what α leaves). */
export function paramsOf(p: readonly number[]): HoltWintersParams {
  const alpha = BOUND + (1 - 2 * BOUND) * sigmoid(p[0]);
  const beta = BOUND + (1 - 2 * BOUND) * sigmoid(p[1]);
  const gamma = (1 - alpha) * (BOUND + (1 - 2 * BOUND) * sigmoid(p[2]));
  return { alpha, beta, gamma };
}

function searchPointOf(params: HoltWintersParams): number[] {
  const inv = (v: number) => logit(Math.min(1 - BOUND, Math.max(BOUND, (v - BOUND) / (1 - 2 * BOUND))));
  return [inv(params.alpha), inv(params.beta), inv(params.gamma / (1 - params.alpha))];
}

const STARTS: HoltWintersParams[] = [
  { alpha: 0.2, beta: 0.02, gamma: 0.1 },
  { alpha: 0.05, beta: 0.01, gamma: 0.05 },
  { alpha: 0.5, beta: 0.1, gamma: 0.2 },
];

/**
 * Fits with the additive trend and without it (ETS(A,A,A) and ETS(A,N,A)) and keeps the one with
 * the lower AICc, as R's forecast::ets does: on a short or trendless history an estimated slope is
 * mostly noise, and extrapolated over a 30-day horizon it costs more than the trend ever gains.
 */
export function fitHoltWinters(y: readonly number[], m = 7): ModelFit {
  const withTrend = fitVariant(y, m, true);
  const without = fitVariant(y, m, false);
  return aicc(withTrend, 3 + 1 + m) <= aicc(without, 2 + m) ? withTrend : without;
}

/** AICc of a Gaussian-error model with k estimated quantities (parameters and initial states). */
function aicc(fit: ModelFit, k: number): number {
  const n = fit.n;
  if (n - k - 1 <= 0) return Number.POSITIVE_INFINITY;
  return n * Math.log(Math.max(fit.sse, 1e-12) / n) + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
}

export function fitVariant(y: readonly number[], m: number, withTrend: boolean): ModelFit {
  // without a trend, β is held at 0 and the search is two-dimensional (α, γ)
  const full = (p: number[]) => (withTrend ? p : [p[0], -Infinity, p[1]]);
  const paramsAt = (p: number[]) => (withTrend ? paramsOf(p) : { ...paramsOf(full(p)), beta: 0 });
  let init = heuristicInitialState(y, m, withTrend);
  const search = (from: number[], iterations: number) =>
    nelderMead((p) => runHoltWinters(y, m, paramsAt(p), init).sse, from, { step: 1, maxIterations: iterations });
  // the SSE surface has flat ridges (α against γ): a few starts keep the search out of a poor one
  let best = { x: [] as number[], fx: Number.POSITIVE_INFINITY };
  for (const start of STARTS) {
    const point = searchPointOf(start);
    const found = search(withTrend ? point : [point[0], point[2]], 400);
    if (found.fx < best.fx) best = found;
  }
  // alternate: the best initial states for these parameters, then the parameters again from there
  for (let round = 0; round < 2; round++) {
    init = optimalInitialState(y, m, paramsAt(best.x), withTrend);
    best = search(best.x, 200);
  }
  const params = paramsAt(best.x);
  const fitted = new Array<number>(y.length);
  const { sse, state } = runHoltWinters(y, m, params, init, fitted);
  const n = y.length;
  return {
    model: withTrend ? 'holt-winters' : 'holt-winters-no-trend',
    params,
    n,
    sse,
    sigma: Math.sqrt(sse / Math.max(1, n - 3)),
    fitted,
    forecast: (h) => Array.from({ length: h }, (_, i) => state.level + (i + 1) * state.trend + state.season[(n + i) % m]),
    // ETS(A,A,A): Var(e_h) = σ²(1 + Σ_{j<h} c_j²), c_j = α(1 + βj) + γ·[j ≡ 0 mod m] (fpp2 Table 7.8)
    varianceFactors: (h) => {
      const out: number[] = [];
      let sum = 1;
      for (let i = 1; i <= h; i++) {
        out.push(sum);
        const c = params.alpha * (1 + params.beta * i) + (i % m === 0 ? params.gamma : 0);
        sum += c * c;
      }
      return out;
    },
  };
}
