import { z } from 'zod';

/**
 * `plugins.options['ml-forecasting']` in stokcerdas.config.ts, validated when the host starts.
 * Every number that shapes a forecast or a reorder suggestion lives here.
 */
export const mlForecastingOptionsSchema = z
  .object({
    /** probability of not running out during the lead time: sets z of the safety stock */
    serviceLevel: z.number().gt(0.5).lt(1).default(0.95),
    /** days from placing an order to the goods on the shelf */
    leadTimeDays: z.number().int().min(1).max(180).default(7),
    /** days between two ordering decisions: the suggested quantity covers lead time + this */
    reviewPeriodDays: z.number().int().min(0).max(180).default(7),
    /** forecast days published */
    horizonDays: z.number().int().min(1).max(365).default(30),
    /** complete days of history before any forecast is published */
    minHistoryDays: z.number().int().min(1).max(365).default(3),
    /** from this many days Holt-Winters with a weekly season; fewer → simple exponential smoothing or the mean */
    holtWintersMinDays: z.number().int().min(14).max(365).default(14),
    /** days of history kept and fitted (older days are pruned) */
    maxHistoryDays: z.number().int().min(28).max(3650).default(730),
    /** `stockMovement.type`s that are demand when their `stockMovement.quantity` is negative */
    demandMovementTypes: z.array(z.enum(['sale', 'out', 'transfer', 'damaged', 'expired', 'adjustment'])).min(1).default(['sale', 'out']),
    /** read demand from `inventory.stock.level.changed` and/or `orders.order.completed` */
    sources: z
      .object({ stockMovements: z.boolean().default(true), completedOrders: z.boolean().default(true) })
      .strict()
      .prefault({}),
    /** location of a completed order that names none */
    defaultLocationId: z.string().min(1).default('default'),
    /** divide the Ramadan / pre-Lebaran uplift out before fitting and put it back on forecast days */
    ramadanAdjustment: z.boolean().default(true),
    /** publish inventory.alert.reorder.suggested when stock on hand is below the reorder point */
    reorderAlerts: z.boolean().default(true),
    store: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('memory') }).strict(),
        z
          .object({
            kind: z.literal('sqlite'),
            /** file path (relative to the host's working directory); created with its tables */
            path: z.string().min(1).default('data/ml-forecasting.sqlite'),
          })
          .strict(),
        z
          .object({
            kind: z.literal('postgres'),
            /** postgres://user:password@host:5432/db — shared by every host of the deployment */
            url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// connection URL'),
            /** the tables live in this schema (created if missing) */
            schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _').default('stokcerdas_ml'),
          })
          .strict(),
      ])
      .default({ kind: 'memory' }),
  })
  .strict();

export type MlForecastingOptions = z.output<typeof mlForecastingOptionsSchema>;
export type MlForecastingOptionsInput = z.input<typeof mlForecastingOptionsSchema>;
