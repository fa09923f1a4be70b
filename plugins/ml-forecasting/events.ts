import { z } from 'zod';

/**
 * The event types this plugin publishes. Its own hand-over, `analytics.demand.series.updated`, is
 * registered through the plugin's `events` (the publisher checks every payload before it is sent).
 * The other two are catalog types: they go out in the canonical shape the runtime checks, with the
 * forecast's detail riding along inside `forecastData` / `alertData` (the catalog's objects let a
 * producer add fields). Objects stay open (passthrough) so a later version can add fields.
 */
export const EventTypes = {
  /** internal hand-over: the main thread's series snapshot for the worker that fits it */
  seriesUpdated: 'analytics.demand.series.updated',
  forecastUpdated: 'analytics.forecast.updated',
  reorderSuggested: 'inventory.alert.reorder.suggested',
} as const;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a civil date YYYY-MM-DD');
const nonNegative = z.number().min(0);

export const seriesUpdatedSchema = z
  .object({
    tenantId: z.string().min(1),
    productId: z.string().min(1),
    locationId: z.string().min(1),
    /** the zone whose calendar days the series counts */
    timezone: z.string(),
    /** first day of `values` */
    start: day,
    /** complete days of demand, `start` … the day before `today` */
    values: z.array(nonNegative),
    /** the first forecast day: its demand so far is `soldToday` */
    today: day,
    soldToday: nonNegative,
    currentLevel: z.number().optional(),
    levelAt: z.string().optional(),
    /** the host's calendar settings, so the worker's calendar matches the one the host enriches with */
    calendar: z.object({ ramadanUplift: z.number().positive(), preLebaranUplift: z.number().positive(), preLebaranDays: z.number().int().min(0) }),
  })
  .passthrough();

export type SeriesUpdated = z.output<typeof seriesUpdatedSchema>;

const forecastDay = z.object({
  date: day,
  mean: nonNegative,
  lower80: nonNegative,
  upper80: nonNegative,
  lower95: nonNegative,
  upper95: nonNegative,
  /** the Ramadan / pre-Lebaran multiplier applied to that day (1 on ordinary days) */
  uplift: z.number().positive(),
});

/** `forecastData` of `analytics.forecast.updated`: the catalog's `horizonDays` and `generatedAt`, and the forecast itself. */
export const forecastDataSchema = z
  .object({
    generatedAt: z.string(),
    historyStart: day,
    historyDays: z.number().int().min(0),
    soldToday: nonNegative,
    model: z.object({
      name: z.enum(['holt-winters', 'holt-winters-no-trend', 'ses', 'mean']),
      alpha: z.number().optional(),
      beta: z.number().optional(),
      gamma: z.number().optional(),
      /** one-step-ahead error standard deviation, units a day */
      sigma: nonNegative,
    }),
    ramadanAdjustment: z.object({
      applied: z.boolean(),
      factors: z.object({ ramadan: z.number(), preLebaran: z.number(), lebaran: z.number() }),
      /** uplift days in the history the factors were estimated from (0: the calendar's setting) */
      observedDays: z.object({ ramadan: z.number().int(), preLebaran: z.number().int(), lebaran: z.number().int() }),
    }),
    horizonDays: z.number().int().min(1),
    forecast: z.array(forecastDay),
    totalDemand: nonNegative,
    serviceLevel: z.number(),
    leadTimeDays: z.number().int(),
    leadTimeDemand: nonNegative,
    safetyStock: nonNegative,
    reorderPoint: z.number().int().min(0),
    currentLevel: z.number().nullable(),
    daysUntilStockOut: z.number().int().min(0).nullable(),
    stockOutDate: day.nullable(),
    suggestedQuantity: z.number().int().min(0),
  })
  .passthrough();

export type ForecastData = z.output<typeof forecastDataSchema>;

const subject = {
  productData: z.object({ id: z.string().min(1) }).passthrough(),
  locationData: z.object({ id: z.string().min(1) }).passthrough(),
};

/** `analytics.forecast.updated` as this plugin sends it: the catalog's shape, `forecastData` filled in. */
export const forecastUpdatedSchema = z.object({ ...subject, forecastData: forecastDataSchema }).passthrough();

export type ForecastUpdated = z.output<typeof forecastUpdatedSchema>;

/** `inventory.alert.reorder.suggested` as this plugin sends it: the catalog's stock alert, the plan in `alertData`. */
export const reorderSuggestedSchema = z
  .object({
    ...subject,
    stockLevel: z.object({ current: z.number().int().min(0), reorderPoint: z.number().int().min(0) }),
    alertData: z
      .object({
        /** `critical`: the stock runs out before an order placed now could arrive (within the lead time) */
        severity: z.enum(['warning', 'critical']),
        suggestedQuantity: z.number().int().min(0),
        message: z.string(),
        leadTimeDays: z.number().int(),
        serviceLevel: z.number(),
        daysUntilStockOut: z.number().int().min(0).nullable(),
        stockOutDate: day.nullable(),
      })
      .passthrough(),
  })
  .passthrough();

export type ReorderSuggestion = z.output<typeof reorderSuggestedSchema>;

/** Only the plugin's own type: the catalog types keep the runtime's schemas, so other producers of them are unaffected. */
export const emittedEventSchemas = {
  [EventTypes.seriesUpdated]: seriesUpdatedSchema,
};
