import { describe, expect, it } from 'vitest';
import { forecastDemand } from './model/forecast.ts';
import { seasonalNaive } from './model/simple.ts';
import { smape, round } from './model/stats.ts';
import { IndonesianCalendar } from 'stokcerdas/context';
import { generateSeries, type SeriesSpec } from './synthetic.ts';

/**
 * On generated daily series (trend, weekly season, noise, Ramadan uplift) hold out the
 * last 28 days and compare sMAPE. The model must beat seasonal naive on every series, and the
 * Ramadan adjustment must beat the unadjusted model on every series whose hold-out crosses
 * Ramadan. Each set prints one JSON line with its figures (they go in the closing note).
 *
 * Two weaker claims, asserted on the set's mean only, because a 28-day sMAPE of noisy daily
 * counts differs by a point or so between two good forecasts by chance: three weeks of history
 * (the weekly model has little to learn from), and series whose history alone crosses Ramadan
 * (the adjustment then only keeps last Ramadan out of the level and trend).
 */

const HOLDOUT = 28;
const { ramadanUplift, preLebaranUplift } = new IndonesianCalendar().config;
const priors = { ramadan: ramadanUplift, preLebaran: preLebaranUplift, lebaran: 1 };

interface SetSpec {
  name: string;
  /** where Ramadan falls: in the hold-out, only in the history, or nowhere */
  ramadan: 'holdout' | 'history' | 'none';
  /** beat seasonal naive on every series (else on the mean) */
  everySeries: boolean;
  series: SeriesSpec[];
}

function variants(count: number, seed: number, shape: Omit<SeriesSpec, 'seed'>): SeriesSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    ...shape,
    seed: seed + i,
    base: 15 + 12 * i,
    trend: [0.0005, 0.001, 0.002, -0.0005, 0][i % 5],
    noise: [0.08, 0.12, 0.16][i % 3],
    ramadan: [1.25, 1.3, 1.4][i % 3],
    preLebaran: [1.5, 1.7, 1.9][i % 3],
  }));
}

const sets: SetSpec[] = [
  // no Ramadan anywhere: the model against seasonal naive only (adjusted and unadjusted coincide)
  { name: 'ordinary-180d', ramadan: 'none', everySeries: true, series: variants(10, 100, { end: '2025-11-30', days: 180 }) },
  // a year: Ramadan 1446 early in the history, the hold-out in November
  { name: 'year-365d', ramadan: 'history', everySeries: true, series: variants(10, 150, { end: '2025-11-30', days: 365 }) },
  // Ramadan and Lebaran inside the history, the hold-out the four weeks after
  { name: 'after-lebaran-240d', ramadan: 'history', everySeries: true, series: variants(10, 400, { end: '2025-05-10', days: 240 }) },
  // two years: last year's Ramadan teaches the uplift, the hold-out is Ramadan 1447 up to Lebaran
  { name: 'ramadan-holdout-2y', ramadan: 'holdout', everySeries: true, series: variants(10, 200, { end: '2026-03-20', days: 730 }) },
  // four months, no Ramadan in the history: only the calendar's configured uplift can help
  { name: 'ramadan-holdout-120d', ramadan: 'holdout', everySeries: true, series: variants(10, 300, { end: '2026-03-15', days: 120 }) },
  // three weeks of history: the shortest the weekly model is used for
  { name: 'short-21d', ramadan: 'none', everySeries: false, series: variants(10, 500, { end: '2025-10-31', days: 21 + HOLDOUT }) },
];

interface Scores {
  model: number;
  unadjusted: number;
  seasonalNaive: number;
  fitted: string;
}

function score(spec: SeriesSpec): Scores {
  const s = generateSeries(spec);
  const history = s.values.slice(0, -HOLDOUT);
  const actual = s.values.slice(-HOLDOUT);
  const run = (adjustUplift: boolean) => forecastDemand({ history, classes: s.classes, horizon: HOLDOUT, priors, adjustUplift });
  const adjusted = run(true);
  return {
    model: smape(actual, adjusted.mean),
    unadjusted: smape(actual, run(false).mean),
    seasonalNaive: smape(actual, seasonalNaive(history, HOLDOUT)),
    fitted: adjusted.model,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('forecast accuracy on generated series (hold-out: last 28 days)', () => {
  for (const set of sets) {
    const claims = [set.everySeries ? 'beats seasonal naive on every series' : 'beats seasonal naive on average'];
    if (set.ramadan === 'holdout') claims.push('the adjustment beats the unadjusted model on every series');
    if (set.ramadan === 'history') claims.push('the adjustment beats the unadjusted model on average');
    it(`${set.name}: ${claims.join('; ')}`, () => {
      const scores = set.series.map(score);
      const avg = {
        model: round(mean(scores.map((s) => s.model))),
        unadjusted: round(mean(scores.map((s) => s.unadjusted))),
        seasonalNaive: round(mean(scores.map((s) => s.seasonalNaive))),
      };
      console.log(
        JSON.stringify({
          set: set.name,
          series: scores.length,
          holdoutDays: HOLDOUT,
          ramadan: set.ramadan,
          smape: avg,
          beatsSeasonalNaive: scores.filter((s) => s.model < s.seasonalNaive).length,
          beatsUnadjusted: scores.filter((s) => s.model < s.unadjusted).length,
          models: [...new Set(scores.map((s) => s.fitted))],
        }),
      );
      if (set.everySeries) for (const s of scores) expect(s.model).toBeLessThan(s.seasonalNaive);
      else expect(avg.model).toBeLessThan(avg.seasonalNaive);
      if (set.ramadan === 'holdout') for (const s of scores) expect(s.model).toBeLessThan(s.unadjusted);
      if (set.ramadan === 'history') expect(avg.model).toBeLessThan(avg.unadjusted);
    });
  }
});
