/**
 * The benchmark's plugin: the same work bound inline and in worker mode, on separate routing keys
 * so one host runs both. A module of its own: worker threads import it (definePlugin notes it).
 */
import { z } from 'zod';
import { definePlugin } from 'stokcerdas';
import { fitHoltWinters, salesSeries, smallWork } from './holt-winters.ts';

/** `daily` travels in the event, or the handler loads the SKU's year itself (a stand-in for a store) */
interface SeriesData {
  sku: string;
  seed: number;
  daily?: number[];
}

/*
 * The bench's own types, declared for the compiler only: registering schemas (`events:`) would
 * add a payload check to every publish and delivery, which is not the work being measured.
 */
declare module 'stokcerdas' {
  interface EventTypes {
    'analytics.bench.forecast.inline': SeriesData;
    'analytics.bench.forecast.worker': SeriesData;
    'analytics.bench.small.inline': { n: number };
    'analytics.bench.small.inline.batch': { n: number };
    'analytics.bench.small.worker.batch': { n: number };
  }
}

const benchOptionsSchema = z.object({
  /** smallWork units that take ~20 µs on this machine (calibrated by run.ts) */
  smallUnits: z.number().int().min(1).default(1),
});

export type BenchOptions = z.output<typeof benchOptionsSchema>;

const forecast = (data: SeriesData) => void fitHoltWinters(data.daily ?? salesSeries(data.seed));
const batch = { size: 100, flushMs: 5 };

export default definePlugin({
  name: 'bench-worker-pool',
  version: '1.0.0',
  options: benchOptionsSchema,
  handlers: {
    forecastInline: {
      subscribe: { routingKeys: ['analytics.bench.forecast.inline'] },
      mode: 'inline',
      handle: (event) => forecast(event.data),
    },
    forecastWorker: {
      subscribe: { routingKeys: ['analytics.bench.forecast.worker'] },
      mode: 'worker',
      handle: (event) => forecast(event.data),
    },
    smallInline: {
      subscribe: { routingKeys: ['analytics.bench.small.inline'] },
      mode: 'inline',
      handle(_event, ctx) {
        smallWork(ctx.options.smallUnits);
      },
    },
    smallInlineBatch: {
      subscribe: { routingKeys: ['analytics.bench.small.inline.batch'] },
      mode: 'inline',
      batch,
      handle(events, ctx) {
        for (const _ of events) smallWork(ctx.options.smallUnits);
      },
    },
    smallWorkerBatch: {
      subscribe: { routingKeys: ['analytics.bench.small.worker.batch'] },
      mode: 'worker',
      batch,
      handle(events, ctx) {
        for (const _ of events) smallWork(ctx.options.smallUnits);
      },
    },
  },
});
