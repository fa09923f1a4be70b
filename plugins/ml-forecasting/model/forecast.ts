import { fitHoltWinters, type ModelFit } from './holt-winters.ts';
import { fitMean, fitSes } from './simple.ts';
import { normalQuantile } from './stats.ts';
import { deseasonalise, estimateUplift, type DayClass, type UpliftEstimate, type UpliftPriors } from './uplift.ts';

/**
 * From a daily demand history to a forecast with intervals: the model is chosen by history
 * length, the Ramadan/pre-Lebaran uplift is divided out before fitting and put back on the
 * forecast days (uplift.ts). Pure: the worker handler and the accuracy test call the same code.
 */

export interface DemandForecastInput {
  /** complete days of demand, oldest first */
  history: readonly number[];
  /** day classes for the history followed by the forecast days (history.length + horizon) */
  classes: readonly DayClass[];
  horizon: number;
  priors: UpliftPriors;
  /** false: fit the raw history (the accuracy test's unadjusted model) */
  adjustUplift?: boolean;
  /** history length from which Holt-Winters (weekly season) is used; shorter → SES, mean */
  holtWintersMinDays?: number;
  period?: number;
}

export interface DemandForecast {
  model: ModelFit['model'];
  params: ModelFit['params'];
  /** one-step error standard deviation on the (uplift-adjusted) scale */
  sigma: number;
  /** expected demand of each forecast day, ≥ 0 */
  mean: number[];
  /** standard deviation of each forecast day's error */
  sd: number[];
  uplift: UpliftEstimate & { applied: boolean };
}

export const SES_MIN_DAYS = 4;

export function forecastDemand(input: DemandForecastInput): DemandForecast {
  const { history, classes, horizon } = input;
  const period = input.period ?? 7;
  const minHw = Math.max(2 * period, input.holtWintersMinDays ?? 21);
  const adjust = input.adjustUplift !== false;
  const historyClasses = classes.slice(0, history.length);
  const uplift = adjust
    ? estimateUplift(history, historyClasses, input.priors)
    : { factors: [1, 1, 1, 1] as UpliftEstimate['factors'], observed: [0, 0, 0, 0] as UpliftEstimate['observed'] };
  const y = adjust ? deseasonalise(history, historyClasses, uplift.factors) : [...history];

  const fit = history.length >= minHw ? fitHoltWinters(y, period) : history.length >= SES_MIN_DAYS ? fitSes(y) : fitMean(y);
  const base = fit.forecast(horizon);
  const variance = fit.varianceFactors(horizon);
  const mean: number[] = [];
  const sd: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const factor = uplift.factors[classes[history.length + h] ?? 0];
    mean.push(Math.max(0, base[h] * factor));
    sd.push(fit.sigma * Math.sqrt(variance[h]) * factor);
  }
  const applied = adjust && (uplift.observed.some((n) => n > 0) || classes.slice(history.length).some((c) => c !== 0));
  return { model: fit.model, params: fit.params, sigma: fit.sigma, mean, sd, uplift: { ...uplift, applied } };
}

export interface Interval {
  lower: number;
  upper: number;
}

/** Central interval at `level` (0.8, 0.95), never below zero demand. */
export function interval(mean: number, sd: number, level: number): Interval {
  const z = normalQuantile(0.5 + level / 2);
  return { lower: Math.max(0, mean - z * sd), upper: mean + z * sd };
}

export interface InventoryInput {
  mean: readonly number[];
  /** one-step error standard deviation in units a day (σ of the safety-stock formula) */
  sigma: number;
  leadTimeDays: number;
  serviceLevel: number;
  reviewPeriodDays: number;
  /** units on hand now; undefined when no stock event was seen */
  currentLevel?: number;
  /** demand already recorded today (the first forecast day) */
  soldToday?: number;
}

export interface InventoryPlan {
  leadTimeDemand: number;
  safetyStock: number;
  /** leadTimeDemand + safetyStock, rounded up to whole units */
  reorderPoint: number;
  /** whole days the stock on hand lasts (0: runs out today); null: beyond the horizon or unknown stock */
  daysUntilStockOut: number | null;
  /** order-up-to level over lead time + review period, minus stock on hand; 0 when not below it */
  suggestedQuantity: number;
}

export function inventoryPlan(input: InventoryInput): InventoryPlan {
  const z = normalQuantile(input.serviceLevel);
  const sum = (days: number) => input.mean.slice(0, days).reduce((a, b) => a + b, 0) + Math.max(0, days - input.mean.length) * (input.mean.at(-1) ?? 0);
  const L = input.leadTimeDays;
  const leadTimeDemand = sum(L);
  const safetyStock = z * input.sigma * Math.sqrt(L);
  const reorderPoint = Math.ceil(leadTimeDemand + safetyStock - 1e-9);
  const cover = L + input.reviewPeriodDays;
  const orderUpTo = sum(cover) + z * input.sigma * Math.sqrt(cover);

  let daysUntilStockOut: number | null = null;
  if (input.currentLevel !== undefined) {
    if (input.currentLevel <= 0) daysUntilStockOut = 0;
    else {
      let used = 0;
      for (let d = 0; d < input.mean.length; d++) {
        // today's sales so far already left the shelf: only the rest of today's demand is still to come
        used += d === 0 ? Math.max(0, input.mean[0] - (input.soldToday ?? 0)) : input.mean[d];
        if (used >= input.currentLevel) {
          daysUntilStockOut = d;
          break;
        }
      }
    }
  }
  const suggestedQuantity = input.currentLevel === undefined ? 0 : Math.max(0, Math.ceil(orderUpTo - input.currentLevel - 1e-9));
  return { leadTimeDemand, safetyStock, reorderPoint, daysUntilStockOut, suggestedQuantity };
}
