/**
 * The benchmark's plugin: the same work bound inline and in worker mode, on separate routing keys
 * so one host runs both. A module of its own: worker threads import it (definePlugin notes it).
 */
import { definePlugin } from '../../runtime/plugins/define.ts';
import type { HandlerDefinition } from '../../runtime/plugins/types.ts';
import type { StokEvent } from '../../runtime/events/types.ts';
import { fitHoltWinters, salesSeries, smallWork } from './holt-winters.ts';

export interface BenchOptions {
  /** smallWork units that take ~20 µs on this machine (calibrated by run.ts) */
  smallUnits: number;
}

/** `daily` travels in the event, or the handler loads the SKU's year itself (a stand-in for a store) */
type Series = StokEvent<{ sku: string; seed: number; daily?: number[] }>;
type Small = StokEvent<{ n: number }>;

const forecast = (mode: 'inline' | 'worker'): HandlerDefinition => ({
  subscribe: { routingKeys: [`analytics.bench.forecast.${mode}`] },
  mode,
  async handle(event: Series) {
    fitHoltWinters(event.data.daily ?? salesSeries(event.data.seed));
  },
});

const small = (mode: 'inline' | 'worker', batched: boolean): HandlerDefinition => ({
  subscribe: { routingKeys: [`analytics.bench.small.${mode}${batched ? '.batch' : ''}`] },
  mode,
  ...(batched ? { batch: { size: 100, flushMs: 5 } } : {}),
  async handle(events: Small | Small[], ctx) {
    const units = (ctx.options as BenchOptions).smallUnits;
    for (const _ of Array.isArray(events) ? events : [events]) smallWork(units);
  },
});

export default definePlugin<BenchOptions>({
  name: 'bench-worker-pool',
  version: '1.0.0',
  handlers: {
    forecastInline: forecast('inline'),
    forecastWorker: forecast('worker'),
    smallInline: small('inline', false),
    smallInlineBatch: small('inline', true),
    smallWorkerBatch: small('worker', true),
  },
});
