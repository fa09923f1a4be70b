/**
 * Events/s through the full pipeline (publish → CloudEvent encode → memory broker → decode →
 * schema → enrich → dedupe → timeout → no-op handler → ack) next to a bare EventEmitter dispatch
 * of the same payloads, in one process run. Prints one JSON line.
 *
 *   npm run bench:memory            (N=100000 by default; N=… to change)
 */
import { EventEmitter } from 'node:events';
import { createHost, definePlugin } from 'stokcerdas';
import { silentLogger } from '../../runtime/observability/logger.ts';

const N = Number(process.env.N ?? 100_000);
const WINDOW = 1_000;
const payload = (i: number) => ({
  productData: { id: `SKU-${i % 500}`, name: 'Beras 5kg' },
  locationData: { id: 'WH-JKT' },
  stockMovement: { type: 'sale' as const, quantity: -1 },
  stockLevel: { previous: 20, current: 19 },
});

async function bareEmitter(): Promise<number> {
  const emitter = new EventEmitter();
  let handled = 0;
  emitter.on('inventory.stock.level.changed', () => {
    handled++;
  });
  const start = performance.now();
  for (let i = 0; i < N; i++) emitter.emit('inventory.stock.level.changed', payload(i));
  const seconds = (performance.now() - start) / 1000;
  if (handled !== N) throw new Error(`emitter handled ${handled} of ${N}`);
  return N / seconds;
}

async function pipeline(): Promise<{ rate: number; rssMb: number }> {
  let handled = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const plugin = definePlugin({
    name: 'bench',
    version: '1.0.0',
    handlers: {
      noop: {
        subscribe: { routingKeys: ['inventory.stock.level.changed'] },
        handle() {
          if (++handled === N) done();
        },
      },
    },
  });
  const host = createHost({ transport: 'memory', http: { enabled: false }, dedupe: { maxEntries: 200_000 } }, { plugins: [plugin], logger: silentLogger });
  await host.start();
  const start = performance.now();
  for (let i = 0; i < N; i += WINDOW) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(N, i + WINDOW); j++) batch.push(host.publish('inventory.stock.level.changed', payload(j), { tenantId: 't1' }));
    await Promise.all(batch);
  }
  await finished;
  const seconds = (performance.now() - start) / 1000;
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await host.stop();
  return { rate: N / seconds, rssMb };
}

const emitterRate = await bareEmitter();
const { rate, rssMb } = await pipeline();
console.log(
  JSON.stringify({
    bench: 'memory-pipeline',
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    events: N,
    pipelineEventsPerSec: Math.round(rate),
    bareEmitterEventsPerSec: Math.round(emitterRate),
    ratio: Number((rate / emitterRate).toFixed(4)),
    rssMb: Math.round(rssMb),
  }),
);
