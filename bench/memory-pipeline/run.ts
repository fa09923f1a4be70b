/**
 * Events/s through the full pipeline (publish → schema → CloudEvent → snapshot of it → memory
 * broker, which slows the burst down once a queue holds 1,000 ready messages → a copy of the event
 * per delivery, its checks vouched for at publish → enrich → dedupe → timeout → no-op handler → ack;
 * no JSON on the way, docs/wire-format.md) next to a bare EventEmitter dispatch of the same payloads,
 * in one process. The two sides run interleaved, ROUNDS times (a fresh host
 * each round); one JSON line per round, then one with the medians. Besides events/s it reports the
 * process CPU per event (user + system, every thread: the GC threads included), which a busy machine
 * disturbs far less than the wall-clock rate.
 *
 *   npm run bench:memory            (N=100000, ROUNDS=3 by default; N=… ROUNDS=… to change)
 */
import { EventEmitter } from 'node:events';
import { createHost, definePlugin } from 'stokcerdas';
import { silentLogger } from '../../runtime/observability/logger.ts';

const N = Number(process.env.N ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WINDOW = 1_000;
const payload = (i: number) => ({
  productData: { id: `SKU-${i % 500}`, name: 'Beras 5kg' },
  locationData: { id: 'WH-JKT' },
  stockMovement: { type: 'sale' as const, quantity: -1 },
  stockLevel: { previous: 20, current: 19 },
});

interface Side {
  rate: number;
  cpuUsPerEvent: number;
}

function measured(start: number, cpu: NodeJS.CpuUsage): Side {
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { rate: N / seconds, cpuUsPerEvent: (used.user + used.system) / N };
}

async function bareEmitter(): Promise<Side> {
  const emitter = new EventEmitter();
  let handled = 0;
  emitter.on('inventory.stock.level.changed', () => {
    handled++;
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < N; i++) emitter.emit('inventory.stock.level.changed', payload(i));
  const side = measured(start, cpu);
  if (handled !== N) throw new Error(`emitter handled ${handled} of ${N}`);
  return side;
}

async function pipeline(): Promise<Side & { rssMb: number }> {
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
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < N; i += WINDOW) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(N, i + WINDOW); j++) batch.push(host.publish('inventory.stock.level.changed', payload(j), { tenantId: 't1' }));
    await Promise.all(batch);
  }
  await finished;
  const side = measured(start, cpu);
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await host.stop();
  return { ...side, rssMb };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rounds: { pipeline: Side & { rssMb: number }; emitter: Side }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const emitter = await bareEmitter();
  const piped = await pipeline();
  rounds.push({ pipeline: piped, emitter });
  console.log(
    JSON.stringify({
      bench: 'memory-pipeline',
      round,
      events: N,
      pipelineEventsPerSec: Math.round(piped.rate),
      pipelineCpuUsPerEvent: Number(piped.cpuUsPerEvent.toFixed(2)),
      bareEmitterEventsPerSec: Math.round(emitter.rate),
      ratio: Number((piped.rate / emitter.rate).toFixed(4)),
      rssMb: Math.round(piped.rssMb),
    }),
  );
}
const pipelineRate = median(rounds.map((r) => r.pipeline.rate));
const emitterRate = median(rounds.map((r) => r.emitter.rate));
console.log(
  JSON.stringify({
    bench: 'memory-pipeline',
    summary: 'median',
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    events: N,
    rounds: ROUNDS,
    pipelineEventsPerSec: Math.round(pipelineRate),
    pipelineCpuUsPerEvent: Number(median(rounds.map((r) => r.pipeline.cpuUsPerEvent)).toFixed(2)),
    bareEmitterEventsPerSec: Math.round(emitterRate),
    ratio: Number(median(rounds.map((r) => r.pipeline.rate / r.emitter.rate)).toFixed(4)),
    rssMb: Math.round(Math.max(...rounds.map((r) => r.pipeline.rssMb))),
  }),
);
