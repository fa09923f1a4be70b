import { runHoltWinters, type HoltWintersParams, type HoltWintersState } from './recursion.ts';

/**
 * Level, trend and seasonal states just before t = 0, from the first k ≤ 4 full cycles: the trend
 * is the slope between the first and last cycle means, the seasonal state of a phase is its mean
 * deviation from the (trend-corrected) cycle mean, normalised to sum to zero.
 */
export function heuristicInitialState(y: readonly number[], m: number, withTrend = true): HoltWintersState {
  const k = Math.min(4, Math.floor(y.length / m));
  if (k < 2) throw new RangeError(`Holt-Winters needs two full cycles (${2 * m} values), got ${y.length}`);
  const means: number[] = [];
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += y[c * m + i];
    means.push(s / m);
  }
  const trend = withTrend ? (means[k - 1] - means[0]) / ((k - 1) * m) : 0;
  const centre = (m - 1) / 2;
  const season = new Array<number>(m).fill(0);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < m; i++) season[i] += (y[c * m + i] - (means[c] + (i - centre) * trend)) / k;
  }
  const mean = season.reduce((a, b) => a + b, 0) / m;
  for (let i = 0; i < m; i++) season[i] -= mean;
  return { level: means[0] - (centre + 1) * trend, trend, season };
}

/**
 * The initial states that minimise the SSE for given smoothing parameters. The recursions are
 * linear in the initial state, so each one-step error is e_t = e_t(0) + h_t·x0 and the best x0 is
 * an ordinary least-squares solution: one run from a zero state plus one run per state component
 * (with y = 0) give e(0) and the columns of H. The seasonal states are constrained to sum to zero
 * (otherwise level and season trade off freely and H'H is singular): s_{m−1} = −Σ s_i.
 */
export function optimalInitialState(y: readonly number[], m: number, params: HoltWintersParams, withTrend: boolean): HoltWintersState {
  const n = y.length;
  const zeros = new Array<number>(n).fill(0);
  const state = (level: number, trend: number, season: number[]) => ({ level, trend, season });
  const errorsOf = (series: readonly number[], init: HoltWintersState) => {
    const fitted = new Array<number>(n);
    runHoltWinters(series, m, params, init, fitted);
    return series.map((v, t) => v - fitted[t]);
  };
  const e0 = errorsOf(y, state(0, 0, new Array<number>(m).fill(0)));
  const units: HoltWintersState[] = [state(1, 0, new Array<number>(m).fill(0))];
  if (withTrend) units.push(state(0, 1, new Array<number>(m).fill(0)));
  for (let i = 0; i < m - 1; i++) {
    const season = new Array<number>(m).fill(0);
    season[i] = 1;
    season[m - 1] = -1;
    units.push(state(0, 0, season));
  }
  const H = units.map((u) => errorsOf(zeros, u));
  const d = H.length;
  // normal equations (H'H) x = −H'e0, with a whisker of ridge for series that are all zero
  const A = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => dot(H[i], H[j])));
  const b = H.map((h) => -dot(h, e0));
  const trace = A.reduce((sum, row, i) => sum + row[i], 0);
  for (let i = 0; i < d; i++) A[i][i] += 1e-9 * (trace / d + 1);
  const x = solve(A, b);
  if (!x) return heuristicInitialState(y, m, withTrend);
  const season = new Array<number>(m).fill(0);
  const offset = withTrend ? 2 : 1;
  for (let i = 0; i < m - 1; i++) {
    season[i] = x[offset + i];
    season[m - 1] -= x[offset + i];
  }
  return state(x[0], withTrend ? x[1] : 0, season);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Gaussian elimination with partial pivoting; undefined when the system is singular. */
function solve(A: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[pivot][c])) pivot = r;
    if (Math.abs(M[pivot][c]) < 1e-12) return undefined;
    [M[c], M[pivot]] = [M[pivot], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}
