import { describe, expect, it } from 'vitest';
import { IndonesianCalendar } from 'stokcerdas/context';
import { generateSeries } from '../synthetic.ts';
import { inventoryPlan, interval } from './forecast.ts';
import { fitHoltWinters, fitVariant } from './holt-winters.ts';
import { nelderMead } from './optimize.ts';
import { fitMean, fitSes, seasonalNaive } from './simple.ts';
import { normalQuantile, smape } from './stats.ts';
import { classifyDays, deseasonalise, estimateUplift } from './uplift.ts';

const season = [-4, -6, -3, 0, 2, 7, 4];
const dn = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('Holt-Winters', () => {
  it('forecasts a noiseless trend plus weekly season exactly', () => {
    const truth = (t: number) => 20 + 0.5 * t + season[t % 7];
    const y = Array.from({ length: 70 }, (_, t) => truth(t));
    const fit = fitVariant(y, 7, true);
    expect(fit.sse).toBeLessThan(1e-6);
    fit.forecast(14).forEach((v, h) => expect(v).toBeCloseTo(truth(70 + h), 3));
  });

  it('drops the trend when it does not earn its parameters (AICc)', () => {
    const s = generateSeries({ seed: 3, end: '2025-10-31', days: 120, trend: 0, noise: 0.15 });
    expect(fitHoltWinters(s.values).model).toBe('holt-winters-no-trend');
    const trending = Array.from({ length: 120 }, (_, t) => 20 + 0.8 * t + season[t % 7] + ((t * 7919) % 5) - 2);
    expect(fitHoltWinters(trending).model).toBe('holt-winters');
  });

  it('keeps the smoothing parameters inside statsmodels bounds', () => {
    const { params } = fitVariant(generateSeries({ seed: 11, end: '2025-10-31', days: 200 }).values, 7, true);
    expect(params.alpha).toBeGreaterThanOrEqual(0);
    expect(params.alpha).toBeLessThanOrEqual(1);
    expect(params.beta).toBeGreaterThanOrEqual(0);
    expect(params.beta).toBeLessThanOrEqual(1);
    expect(params.gamma).toBeGreaterThanOrEqual(0);
    expect(params.gamma! + params.alpha!).toBeLessThanOrEqual(1);
  });

  it('widens the error variance with the horizon, from σ² at one step', () => {
    const f = fitHoltWinters(generateSeries({ seed: 5, end: '2025-10-31', days: 100 }).values).varianceFactors(30);
    expect(f[0]).toBe(1);
    for (let h = 1; h < 30; h++) expect(f[h]).toBeGreaterThanOrEqual(f[h - 1]);
  });
});

describe('fallbacks and baseline', () => {
  it('SES forecasts a constant series as itself with no error', () => {
    const fit = fitSes([8, 8, 8, 8, 8]);
    expect(fit.forecast(3)).toEqual([8, 8, 8]);
    expect(fit.sigma).toBe(0);
  });

  it('the mean model keeps a Poisson-like spread on a day or two of history', () => {
    const fit = fitMean([9]);
    expect(fit.forecast(2)).toEqual([9, 9]);
    expect(fit.sigma).toBe(3);
  });

  it('seasonal naive repeats the last week', () => {
    expect(seasonalNaive([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], 9)).toEqual([8, 9, 10, 11, 12, 13, 14, 8, 9]);
  });
});

describe('numerics', () => {
  it('Nelder–Mead finds the minimum of a shifted quadratic', () => {
    const { x } = nelderMead((p) => (p[0] - 3) ** 2 + 2 * (p[1] + 1) ** 2, [0, 0], { tolerance: 1e-14 });
    expect(x[0]).toBeCloseTo(3, 4);
    expect(x[1]).toBeCloseTo(-1, 4);
  });

  it('normal quantiles match the tables', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2816, 4);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6449, 4);
    expect(normalQuantile(0.975)).toBeCloseTo(1.96, 4);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263, 4);
  });

  it('sMAPE is 0 for a perfect forecast and 200 for forecasting zero sales as sales', () => {
    expect(smape([1, 0, 3], [1, 0, 3])).toBe(0);
    expect(smape([0, 0], [5, 1])).toBe(200);
  });

  it('intervals never go below zero demand', () => {
    expect(interval(1, 5, 0.95)).toEqual({ lower: 0, upper: expect.closeTo(1 + 1.96 * 5, 3) });
  });
});

describe('inventory plan', () => {
  const plan = inventoryPlan({ mean: new Array(30).fill(10), sigma: 2, leadTimeDays: 4, serviceLevel: 0.95, reviewPeriodDays: 7, currentLevel: 25, soldToday: 4 });

  it('puts the reorder point at lead-time demand plus z·σ·√L', () => {
    expect(plan.leadTimeDemand).toBe(40);
    expect(plan.safetyStock).toBeCloseTo(1.6449 * 2 * 2, 3);
    expect(plan.reorderPoint).toBe(47);
  });

  it('counts days until stock-out from what is left of today', () => {
    // 6 more today, then 10 a day: 25 units run out on the third day (index 2)
    expect(plan.daysUntilStockOut).toBe(2);
  });

  it('suggests the order-up-to level over lead time + review period minus stock on hand', () => {
    expect(plan.suggestedQuantity).toBe(Math.ceil(110 + 1.6449 * 2 * Math.sqrt(11) - 25));
  });

  it('does not know the days until stock-out without a stock level', () => {
    expect(inventoryPlan({ mean: [1], sigma: 0, leadTimeDays: 1, serviceLevel: 0.9, reviewPeriodDays: 0 })).toMatchObject({ daysUntilStockOut: null, suggestedQuantity: 0 });
  });
});

describe('Ramadan uplift', () => {
  const calendar = new IndonesianCalendar();

  it('classifies days from the calendar: Ramadan, pre-Lebaran, Lebaran', () => {
    const [ordinary, ramadan, preLebaran, lebaran] = ['2026-01-05', '2026-02-19', '2026-03-15', '2026-03-21'].map((d) => classifyDays(calendar, dn(d), 1)[0]);
    expect([ordinary, ramadan, preLebaran, lebaran]).toEqual([0, 1, 2, 3]);
  });

  it('learns the uplift from a history with Ramadan, shrunk towards the configured one', () => {
    const s = generateSeries({ seed: 21, end: '2025-06-30', days: 300, ramadan: 1.4, preLebaran: 1.9, lebaran: 0.6, noise: 0.08 });
    const { factors, observed } = estimateUplift(s.values, s.classes, { ramadan: 1.2, preLebaran: 1.5, lebaran: 1 });
    expect(observed[1]).toBeGreaterThan(15);
    expect(factors[1]).toBeGreaterThan(1.28);
    expect(factors[1]).toBeLessThan(1.42);
    expect(factors[2]).toBeGreaterThan(1.6); // 10 days against a prior worth 14: most of the way from 1.5
    expect(factors[3]).toBeLessThan(0.95);
  });

  it('uses the configured uplift when the history has no such days', () => {
    const s = generateSeries({ seed: 22, end: '2025-11-30', days: 100 });
    expect(estimateUplift(s.values, s.classes, { ramadan: 1.2, preLebaran: 1.5, lebaran: 1 }).factors).toEqual([1, 1.2, 1.5, 1]);
    expect(deseasonalise([12, 15], [1, 2], [1, 1.2, 1.5, 1])).toEqual([10, 10]);
  });
});
