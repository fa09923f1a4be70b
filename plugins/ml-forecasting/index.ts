import { definePlugin, type HandlerContext, type StokEvent } from 'stokcerdas';
import { emittedEventSchemas, EventTypes, type SeriesUpdated } from './events.ts';
import { forecastSnapshot } from './forecaster.ts';
import { fromCompletedOrder, fromStockMovement, localDate, merge, zoneOf } from './observations.ts';
import { mlForecastingOptionsSchema, type MlForecastingOptions } from './options.ts';
import { createDemandStore, type DemandStore, type Observations } from './store/index.ts';
import { dayNumber, isoDay, keyString } from './store/types.ts';

/**
 * Demand forecasting. Two stages on the shared queue `ml.forecasting`:
 *
 * 1. `movements` and `orders` run INLINE, in batches: they turn stock movements and completed
 *    orders into daily demand in the store and publish one `analytics.demand.series.updated` per
 *    series the batch touched, carrying the series itself.
 * 2. `forecast` runs on a WORKER thread, in batches: it fits each series (the latest snapshot per
 *    series in the batch, so many events for one product cause one fit) and publishes
 *    `analytics.forecast.updated` and, below the reorder point, `inventory.alert.reorder.suggested`.
 *
 * Why the split: the series must be updated where the state lives, and a worker thread cannot
 * share the main thread's in-memory store (nor should every thread open the SQLite file), while
 * the fit is the CPU-heavy part that must stay off the event loop. Passing the snapshot through
 * the broker also lets any host fit it and keeps it durable until the fit succeeded.
 * What the plugin consumes, emits and takes as options: README.md beside this file.
 */

const QUEUE = 'ml.forecasting';
/** the store registered in the host's container by setup (one per host, not per module) */
const STORE = 'mlForecastingStore';

declare module 'stokcerdas' {
  interface ServiceTypes {
    /** the demand series of this host (ml-forecasting) */
    mlForecastingStore: DemandStore;
  }
}

const lastPruned = new WeakMap<DemandStore, string>();

/** What ingesting reads of a handler's context (its `publish` stays with the handler, typed by the plugin's events). */
type IngestContext = Pick<HandlerContext<MlForecastingOptions>, 'options' | 'resolve' | 'clock' | 'logger'>;

/** The host's uplift settings (its `context` config, defaults applied by the config), so the worker uses the same calendar. */
function calendarSettings(ctx: IngestContext): SeriesUpdated['calendar'] {
  const { ramadanUplift, preLebaranUplift, preLebaranDays } = ctx.resolve('config').context;
  return { ramadanUplift, preLebaranUplift, preLebaranDays };
}

/** Records a batch's demand and returns one snapshot per series it touched that has enough history. */
async function ingest<E extends StokEvent>(events: readonly E[], ctx: IngestContext, read: (e: E, o: MlForecastingOptions) => Observations): Promise<SeriesUpdated[]> {
  const { options } = ctx;
  const store = ctx.resolve(STORE);
  const zones = new Map<string, string>();
  const parts = events.map((event) => {
    const part = read(event, options);
    for (const o of [...part.demand, ...part.levels]) zones.set(keyString(o), zoneOf(event));
    return part;
  });
  const touched = await store.record(merge(parts));
  const calendar = calendarSettings(ctx);
  const now = ctx.clock.now();
  const out: SeriesUpdated[] = [];
  let earliestToday: string | undefined;
  for (const key of touched) {
    const timezone = zones.get(keyString(key)) ?? 'Asia/Jakarta';
    const today = localDate(now, timezone);
    if (!earliestToday || today < earliestToday) earliestToday = today;
    // one day more than the history kept: the last value is today, still in progress
    const snapshot = await store.snapshot(key, today, options.maxHistoryDays + 1);
    if (!snapshot || snapshot.values.length === 0) continue;
    const history = snapshot.values.slice(0, -1);
    if (history.length < options.minHistoryDays) {
      ctx.logger.debug({ ...key, historyDays: history.length }, 'not enough complete days to forecast yet');
      continue;
    }
    out.push({
      ...key,
      timezone,
      start: snapshot.start,
      values: history,
      today,
      soldToday: snapshot.values.at(-1) ?? 0,
      ...(snapshot.level ? { currentLevel: snapshot.level.value, levelAt: snapshot.level.at } : {}),
      calendar,
    });
  }
  // forget what is older than the history kept, once a day per store
  const cutoff = earliestToday && isoDay(dayNumber(earliestToday) - options.maxHistoryDays);
  if (cutoff && lastPruned.get(store) !== cutoff) {
    await store.prune(cutoff);
    lastPruned.set(store, cutoff);
  }
  return out;
}

/** A series of the default tenant travels without one. */
const tenantOption = (tenantId: string) => (tenantId === 'default' ? {} : { tenantId });

const ingestBatch = { size: 200, flushMs: 1_000 };

export default definePlugin({
  name: 'ml-forecasting',
  version: '1.0.0',
  description: 'Daily demand series, Holt-Winters forecasts with Ramadan/Lebaran uplift, reorder points and suggestions',
  options: mlForecastingOptionsSchema,
  events: emittedEventSchemas,
  async setup(ctx) {
    const store = await createDemandStore(ctx.options.store);
    ctx.register(STORE, store);
    ctx.logger.info(
      { store: store.kind, durable: store.durable },
      store.durable ? `demand series in ${store.kind}` : 'demand series in memory: lost when the host stops (set store.kind: sqlite to keep them)',
    );
  },
  async teardown(ctx) {
    await ctx.resolve(STORE).close();
  },
  handlers: {
    movements: {
      subscribe: { exchange: 'inventory.events', routingKeys: ['inventory.stock.level.changed'], queue: QUEUE },
      batch: ingestBatch,
      async handle(events, ctx) {
        for (const series of await ingest(events, ctx, fromStockMovement)) ctx.publish(EventTypes.seriesUpdated, series, tenantOption(series.tenantId));
      },
    },
    orders: {
      subscribe: { exchange: 'orders.events', routingKeys: ['orders.order.completed'], queue: QUEUE },
      batch: ingestBatch,
      async handle(events, ctx) {
        for (const series of await ingest(events, ctx, fromCompletedOrder)) ctx.publish(EventTypes.seriesUpdated, series, tenantOption(series.tenantId));
      },
    },
    forecast: {
      subscribe: { exchange: 'analytics.events', routingKeys: [EventTypes.seriesUpdated], queue: QUEUE },
      mode: 'worker',
      batch: { size: 50, flushMs: 2_000 },
      timeoutMs: 120_000,
      handle(events, ctx) {
        const { options } = ctx;
        // the latest snapshot of each series: the earlier ones in the batch are already contained in it
        const latest = new Map<string, (typeof events)[number]>();
        for (const e of events) {
          const id = keyString(e.data);
          const seen = latest.get(id);
          if (!seen || e.time >= seen.time) latest.set(id, e);
        }
        for (const e of latest.values()) {
          const tenant = tenantOption(e.data.tenantId);
          let outcome;
          try {
            outcome = forecastSnapshot(e.data, options, ctx.clock.now());
          } catch (err) {
            // one series the model cannot handle must not hold back the rest of the batch
            ctx.logger.error({ err, productId: e.data.productId, locationId: e.data.locationId }, 'forecast failed for one series');
            continue;
          }
          ctx.publish(EventTypes.forecastUpdated, outcome.forecast, tenant);
          if (outcome.reorder) ctx.publish(EventTypes.reorderSuggested, outcome.reorder, tenant);
        }
        ctx.logger.debug({ snapshots: events.length, fits: latest.size }, 'forecast batch done');
      },
    },
  },
});
