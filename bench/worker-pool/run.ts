/**
 * The same CPU-bound handler (a ~1.7 ms Holt-Winters fit on a 365-day series) inline
 * and in worker mode, in one run, through the host on the memory transport, with a bare piscina
 * pool as the baseline; then ~20 µs tasks inline against worker-mode batches. Prints ONE JSON
 * line: events/s, speed-up, and the main thread's event-loop delay p99 during each phase.
 *
 *   node --import tsx bench/worker-pool/run.ts [--forecast 1000] [--small 10000] [--rounds 5] [--threads 2]
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Piscina } from 'piscina';
import type { StokEvent } from '../../runtime/events/types.ts';
import { createHost } from '../../runtime/host/host.ts';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { pluginSourceFile } from '../../runtime/plugins/define.ts';
import type { HandleTask } from '../../runtime/workers/protocol.ts';
import { fitHoltWinters, salesSeries, smallWork } from './holt-winters.ts';
import { best, measure, round, timePerCall, type Phase } from './measure.ts';
import plugin from './plugin.ts';

const { values: args } = parseArgs({
  options: {
    forecast: { type: 'string', default: '1000' },
    small: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
  },
});
const FORECAST_EVENTS = Number(args.forecast);
const SMALL_EVENTS = Number(args.small);
const ROUNDS = Number(args.rounds);
/** unhandled events the producer allows (= prefetch): the queue stays full, memory stays bounded */
const WINDOW = 200;
const THREADS = Number(args.threads);

// calibrate on this machine, before the host exists
const series = Array.from({ length: 16 }, (_, i) => salesSeries(i + 1));
const forecastMs = timePerCall(() => fitHoltWinters(salesSeries(1)), 300);
const smallUnits = Math.round((20 / (timePerCall(() => smallWork(1000), 20_000) * 1000)) * 1000);
const smallUs = timePerCall(() => smallWork(smallUnits), 20_000) * 1000;

const handled = new Map<string, number>();
let wake: (() => void) | undefined;
const host = createHost(
  {
    transport: 'memory',
    http: { enabled: false },
    log: { level: 'silent' },
    workers: { minThreads: THREADS, maxThreads: THREADS },
    plugins: { options: { 'bench-worker-pool': { smallUnits } } },
  },
  {
    plugins: [plugin],
    logger: silentLogger,
    hooks: {
      handled: (binding, _ms, _outcome, size) => {
        handled.set(binding.key, (handled.get(binding.key) ?? 0) + size);
        wake?.();
      },
    },
  },
);
await host.start();
// the runtime's timers (batch flushes) are unref'd: in a real host the broker connection or the
// HTTP server keeps the process alive; here nothing else would while a batch waits for flushMs
const keepAlive = setInterval(() => {}, 1_000);

/** Publish `n` events, never more than WINDOW ahead of the handler, and time until all are handled. */
async function phase(handler: string, type: string, n: number, data: (i: number) => unknown): Promise<Phase> {
  const key = `bench-worker-pool/${handler}`;
  const base = handled.get(key) ?? 0;
  const done = () => (handled.get(key) ?? 0) - base;
  const stop = measure(n);
  for (let sent = 0; sent < n; ) {
    if (sent - done() >= WINDOW) {
      await new Promise<void>((resolve) => (wake = resolve));
      continue;
    }
    await host.publish(type, data(sent));
    sent++;
    // a producer that never yields would itself be the event-loop delay we are measuring
    if (sent % 4 === 0) await new Promise((r) => setImmediate(r));
  }
  while (done() < n) await new Promise<void>((resolve) => (wake = resolve));
  return stop();
}

/** Baseline: the same fit through a bare piscina pool (same bootstrap and worker entry), no host. */
async function rawPool(n: number): Promise<Phase> {
  const raw = new Piscina<HandleTask, unknown>({ filename: fileURLToPath(new URL('../../runtime/workers/bootstrap.mjs', import.meta.url)), minThreads: THREADS, maxThreads: THREADS });
  const file = pluginSourceFile(plugin)!;
  const task = (i: number): HandleTask => ({
    kind: 'handle', file, plugin: plugin.name, handler: 'forecastWorker', key: 'raw', attempt: 1, options: {}, logLevel: 'silent',
    payload: { data: trigger(i) } as unknown as StokEvent,
  });
  await Promise.all(Array.from({ length: 50 }, (_, i) => raw.run(task(i))));
  const stop = measure(n);
  let next = 0;
  // 32 in flight, like a binding's default concurrency
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < n) await raw.run(task(next++));
  }));
  const result = stop();
  await raw.destroy();
  return result;
}

/** "forecast this SKU": the handler loads the year itself (a stand-in for reading a store) */
const trigger = (i: number) => ({ sku: `SKU-${i % 16}`, seed: (i % 16) + 1 });
/** the same with the 365-day series in the event: JSON and structured clone of it on the main thread */
const withSeries = (i: number) => ({ ...trigger(i), daily: series[i % 16] });
const small = (i: number) => ({ n: i });
const F = 'analytics.bench.forecast';
const S = 'analytics.bench.small';
const runs = {
  forecastInline: () => phase('forecastInline', `${F}.inline`, FORECAST_EVENTS, trigger),
  forecastWorker: () => phase('forecastWorker', `${F}.worker`, FORECAST_EVENTS, trigger),
  forecastRawPool: () => rawPool(FORECAST_EVENTS),
  seriesInline: () => phase('forecastInline', `${F}.inline`, FORECAST_EVENTS, withSeries),
  seriesWorker: () => phase('forecastWorker', `${F}.worker`, FORECAST_EVENTS, withSeries),
  smallInline: () => phase('smallInline', `${S}.inline`, SMALL_EVENTS, small),
  smallInlineBatch: () => phase('smallInlineBatch', `${S}.inline.batch`, SMALL_EVENTS, small),
  smallWorkerBatch: () => phase('smallWorkerBatch', `${S}.worker.batch`, SMALL_EVENTS, small),
};
type Name = keyof typeof runs;

// warm-up: JIT on every thread, the plugin module loaded on every worker; both event shapes, so
// neither mode's first round pays for compiling a path (salesSeries) the other had warmed
for (const data of [withSeries, trigger]) {
  await phase('forecastInline', `${F}.inline`, 200, data);
  await phase('forecastWorker', `${F}.worker`, 200, data);
}
await phase('smallInline', `${S}.inline`, 2_000, small);
await phase('smallInlineBatch', `${S}.inline.batch`, 2_000, small);
await phase('smallWorkerBatch', `${S}.worker.batch`, 2_000, small);

// interleaved rounds, so drift on a shared box hits every mode alike
const results = Object.fromEntries(Object.keys(runs).map((k) => [k, [] as Phase[]])) as Record<Name, Phase[]>;
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(runs) as [Name, () => Promise<Phase>][]) results[name].push(await run());
}
const pool = (host as unknown as { workers?: { stats?(): unknown } }).workers?.stats?.();
await host.stop();
clearInterval(keepAlive);

const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, best(v)])) as Record<Name, Phase>;
const speedup = round(m.forecastWorker.eventsPerSec / m.forecastInline.eventsPerSec);
const seriesSpeedup = round(m.seriesWorker.eventsPerSec / m.seriesInline.eventsPerSec);
const smallRatio = round(m.smallWorkerBatch.eventsPerSec / m.smallInline.eventsPerSec);
console.log(
  JSON.stringify({
    bench: 'worker-pool',
    node: process.version,
    cores: availableParallelism(),
    threads: THREADS,
    roundsRun: ROUNDS,
    cpuTask: { kind: 'holt-winters fit, 365 days, 1000-point grid', msPerEvent: round(forecastMs), events: FORECAST_EVENTS },
    inline: m.forecastInline,
    worker: m.forecastWorker,
    speedup,
    rawPiscina: m.forecastRawPool,
    seriesInEvent: { inline: m.seriesInline, worker: m.seriesWorker, speedup: seriesSpeedup },
    smallTask: { usPerEvent: round(smallUs), events: SMALL_EVENTS, batchSize: 100 },
    smallInline: m.smallInline,
    smallInlineBatch: m.smallInlineBatch,
    smallWorkerBatch: m.smallWorkerBatch,
    smallWorkerBatchVsInline: smallRatio,
    pool,
    targets: {
      'worker >= 1.6x inline': speedup >= 1.6,
      'worker loop p99 < 20 ms': m.forecastWorker.loopP99Ms < 20 && m.seriesWorker.loopP99Ms < 20,
      'small worker batches lose <= 10%': smallRatio >= 0.9,
    },
    rounds: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map((p) => `${p.eventsPerSec}/s other-cpu ${p.otherCpu}`)])),
  }),
);
