import { IndonesianCalendar } from 'stokcerdas/context';
import type { ForecastData, ForecastUpdated, ReorderSuggestion, SeriesUpdated } from './events.ts';
import { forecastDemand, interval, inventoryPlan } from './model/forecast.ts';
import { round } from './model/stats.ts';
import { classifyDays } from './model/uplift.ts';
import type { MlForecastingOptions } from './options.ts';
import { dayNumber, isoDay } from './store/types.ts';

/**
 * From one series snapshot to the events it causes. Runs on a worker thread: the calendar is
 * built here (ctx.resolve cannot cross threads) from the settings the main thread put in the
 * snapshot, and kept per setting, since building one parses the holiday and Ramadan tables.
 */

const calendars = new Map<string, IndonesianCalendar>();

function calendarFor(settings: SeriesUpdated['calendar']): IndonesianCalendar {
  const id = JSON.stringify(settings);
  let calendar = calendars.get(id);
  if (!calendar) {
    calendar = new IndonesianCalendar({ config: settings });
    calendars.set(id, calendar);
  }
  return calendar;
}

export interface ForecastOutcome {
  forecast: ForecastUpdated;
  reorder?: ReorderSuggestion;
}

export function forecastSnapshot(s: SeriesUpdated, options: MlForecastingOptions, now: number): ForecastOutcome {
  const horizon = options.horizonDays;
  const first = dayNumber(s.start);
  const calendar = calendarFor(s.calendar);
  const classes = classifyDays(calendar, first, s.values.length + horizon);
  const f = forecastDemand({
    history: s.values,
    classes,
    horizon,
    priors: { ramadan: s.calendar.ramadanUplift, preLebaran: s.calendar.preLebaranUplift, lebaran: 1 },
    adjustUplift: options.ramadanAdjustment,
    holtWintersMinDays: options.holtWintersMinDays,
  });
  // the plan needs a horizon of at least lead time + review period; the published forecast is `horizon` days
  const currentLevel = s.currentLevel === undefined ? undefined : Math.max(0, s.currentLevel);
  const plan = inventoryPlan({
    mean: f.mean,
    sigma: f.sigma,
    leadTimeDays: options.leadTimeDays,
    serviceLevel: options.serviceLevel,
    reviewPeriodDays: options.reviewPeriodDays,
    currentLevel,
    soldToday: s.soldToday,
  });
  const todayDn = dayNumber(s.today);
  const forecast = f.mean.map((mean, h) => {
    const i80 = interval(mean, f.sd[h], 0.8);
    const i95 = interval(mean, f.sd[h], 0.95);
    return {
      date: isoDay(todayDn + h),
      mean: round(mean),
      lower80: round(i80.lower),
      upper80: round(i80.upper),
      lower95: round(i95.lower),
      upper95: round(i95.upper),
      uplift: round(f.uplift.factors[classes[s.values.length + h]], 4),
    };
  });
  const [, ramadan, preLebaran, lebaran] = f.uplift.factors;
  const [, oRamadan, oPreLebaran, oLebaran] = f.uplift.observed;
  const stockOutDate = plan.daysUntilStockOut === null ? null : isoDay(todayDn + plan.daysUntilStockOut);
  const detail: ForecastData = {
    generatedAt: new Date(now).toISOString(),
    historyStart: s.start,
    historyDays: s.values.length,
    soldToday: s.soldToday,
    model: {
      name: f.model,
      ...(f.params.alpha !== undefined ? { alpha: round(f.params.alpha, 4) } : {}),
      ...(f.params.beta !== undefined ? { beta: round(f.params.beta, 4) } : {}),
      ...(f.params.gamma !== undefined ? { gamma: round(f.params.gamma, 4) } : {}),
      sigma: round(f.sigma, 3),
    },
    ramadanAdjustment: {
      applied: f.uplift.applied,
      factors: { ramadan: round(ramadan, 3), preLebaran: round(preLebaran, 3), lebaran: round(lebaran, 3) },
      observedDays: { ramadan: oRamadan, preLebaran: oPreLebaran, lebaran: oLebaran },
    },
    horizonDays: horizon,
    forecast,
    totalDemand: round(f.mean.reduce((a, b) => a + b, 0)),
    serviceLevel: options.serviceLevel,
    leadTimeDays: options.leadTimeDays,
    leadTimeDemand: round(plan.leadTimeDemand),
    safetyStock: round(plan.safetyStock),
    reorderPoint: plan.reorderPoint,
    currentLevel: currentLevel ?? null,
    daysUntilStockOut: plan.daysUntilStockOut,
    stockOutDate,
    suggestedQuantity: plan.suggestedQuantity,
  };
  const subject = { productData: { id: s.productId }, locationData: { id: s.locationId } };
  const result: ForecastUpdated = { ...subject, forecastData: detail };
  if (!options.reorderAlerts || currentLevel === undefined || currentLevel >= plan.reorderPoint) return { forecast: result };
  const runsOutInLeadTime = plan.daysUntilStockOut !== null && plan.daysUntilStockOut < options.leadTimeDays;
  return {
    forecast: result,
    reorder: {
      ...subject,
      stockLevel: { current: Math.floor(currentLevel), reorderPoint: plan.reorderPoint },
      alertData: {
        severity: runsOutInLeadTime ? 'critical' : 'warning',
        suggestedQuantity: plan.suggestedQuantity,
        leadTimeDays: options.leadTimeDays,
        serviceLevel: options.serviceLevel,
        daysUntilStockOut: plan.daysUntilStockOut,
        stockOutDate,
        message: `stock ${currentLevel} is below the reorder point ${plan.reorderPoint} (${round(plan.leadTimeDemand, 1)} expected over ${options.leadTimeDays} days lead time + ${round(plan.safetyStock, 1)} safety stock at ${options.serviceLevel * 100}% service)`,
      },
    },
  };
}
