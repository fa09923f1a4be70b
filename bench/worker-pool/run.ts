/**
 * Issue 4 §6: the same CPU-bound handler (a ~1.7 ms Holt-Winters fit on a 365-day series) inline
 * and in worker mode, in one run, through the host on the memory transport; then ~20 µs tasks
 * inline against worker-mode batches. Prints ONE JSON line: events/s, speed-up and the main
 * thread's event-loop delay p99 during each phase (the loop that acks and answers health checks).
 *
 *   node --import tsx bench/worker-pool/run.ts [--forecast 1000] [--small 10000] [--rounds 5]
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Piscina } from 'piscina';
import type { StokEvent } from '../../runtime/events/types.ts';
import { pluginSourceFile } from '../../runtime/plugins/define.ts';
import type { HandleTask } from '../../runtime/workers/protocol.ts';
import { createHost } from '../../runtime/host/host.ts';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { fitHoltWinters, salesSeries, smallWork } from './holt-winters.ts';
import plugin from './plugin.ts';

const { values: args } = parseArgs({
  options: { forecast: { type: 'string', default: '1000' }, small: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '5' } },
});
const FORECAST_EVENTS = Number(args.forecast);
const SMALL_EVENTS = Number(args.small);
const ROUNDS = Number(args.rounds);
/** unhandled events the producer allows (= prefetch): the queue stays full, memory stays bounded */
const WINDOW = 200;

// calibrate on this machine, before the host exists
const series = Array.from({ length: 16 }, (_, i) => salesSeries(i + 1));
const forecastMs = timePerCall(() => fitHoltWinters(series[0]!), 300);
const smallUnits = Math.round((20 / (timePerCall(() => smallWork(1000), 20_000) * 1000)) * 1000);
const smallUs = timePerCall(() => smallWork(smallUnits), 20_000) * 1000;

const handled = new Map<string, number>();
let wake: (() => void) | undefined;
const host = createHost(
  {
    transport: 'memory',
    http: { enabled: false },
    log: { level: 'silent' },
    workers: { minThreads: 2, maxThreads: 2 },
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

interface Phase {
  eventsPerSec: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** main-thread busy time per event (event-loop utilisation): what the pool takes off the loop */
  mainMsPerEvent: number;
  /** share of the machine's CPUs other processes used meanwhile (the box is shared) */
  otherCpu: number;
}

/** Busy and total CPU jiffies of the whole machine (Linux), to tell our load from everyone else's. */
function machineCpu(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - f[3]! - f[4]!, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Starts measuring a phase: throughput, loop delay, and other processes' CPU share. */
function measure(n: number): () => Phase {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const m0 = machineCpu();
  const elu0 = perf.eventLoopUtilization();
  loop.enable();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    loop.disable();
    const own = process.cpuUsage(cpu0);
    const m1 = machineCpu();
    const ticks = m1.total - m0.total;
    // jiffies are 1/100 s on Linux; cpuUsage is in microseconds for every thread of this process
    const other = ticks > 0 ? Math.max(0, (m1.busy - m0.busy) / ticks - (own.user + own.system) / 1e6 / (ticks / 100)) : 0;
    const mainMs = perf.eventLoopUtilization(elu0).active / n;
    return {
      eventsPerSec: Math.round(n / seconds),
      loopP99Ms: round(loop.percentile(99) / 1e6),
      loopMaxMs: round(loop.max / 1e6),
      mainMsPerEvent: Math.round(mainMs * 1000) / 1000,
      otherCpu: round(other),
    };
  };
}

/** Publish `n` events of `type`, never more than WINDOW ahead of the handler, and time until all are handled. */
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
    if (sent % 20 === 0) await new Promise((r) => setImmediate(r));
  }
  while (done() < n) await new Promise<void>((resolve) => (wake = resolve));
  return stop();
}

/** Baseline: the same fit through a bare piscina pool (same bootstrap and worker entry), no host. */
async function rawPool(n: number): Promise<Phase> {
  const raw = new Piscina<HandleTask, unknown>({ filename: fileURLToPath(new URL('../../runtime/workers/bootstrap.mjs', import.meta.url)), minThreads: 2, maxThreads: 2 });
  const task = (i: number): HandleTask => ({
    kind: 'handle', file: pluginSourceFile(plugin)!, plugin: plugin.name, handler: 'forecastWorker', key: 'raw', attempt: 1, options: {}, logLevel: 'silent',
    payload: { data: forecastData(i) } as unknown as StokEvent,
  });
  await Promise.all(Array.from({ length: 50 }, (_, i) => raw.run(task(i))));
  const stop = measure(n);
  let next = 0;
  // 32 in flight, like the binding's default concurrency
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < n) await raw.run(task(next++));
  }));
  const result = stop();
  await raw.destroy();
  return result;
}

const forecastData = (i: number) => ({ sku: `SKU-${i % 16}`, daily: series[i % 16] });
const smallData = (i: number) => ({ n: i });
const runs = {
  forecastInline: () => phase('forecastInline', 'analytics.bench.forecast.inline', FORECAST_EVENTS, forecastData),
  forecastWorker: () => phase('forecastWorker', 'analytics.bench.forecast.worker', FORECAST_EVENTS, forecastData),
  forecastRawPool: () => rawPool(FORECAST_EVENTS),
  smallInline: () => phase('smallInline', 'analytics.bench.small.inline', SMALL_EVENTS, smallData),
  smallInlineBatch: () => phase('smallInlineBatch', 'analytics.bench.small.inline.batch', SMALL_EVENTS, smallData),
  smallWorkerBatch: () => phase('smallWorkerBatch', 'analytics.bench.small.worker.batch', SMALL_EVENTS, smallData),
};

// warm-up: JIT on both threads, plugin module loaded on every worker
await phase('forecastInline', 'analytics.bench.forecast.inline', 200, forecastData);
await phase('forecastWorker', 'analytics.bench.forecast.worker', 200, forecastData);
for (const name of ['smallInline', 'smallInlineBatch', 'smallWorkerBatch'] as const) {
  await phase(name, `analytics.bench.small.${name === 'smallInline' ? 'inline' : name === 'smallInlineBatch' ? 'inline.batch' : 'worker.batch'}`, 2_000, smallData);
}

// interleaved rounds, so drift on a shared box hits every mode alike
const results: Record<keyof typeof runs, Phase[]> = { forecastInline: [], forecastWorker: [], forecastRawPool: [], smallInline: [], smallInlineBatch: [], smallWorkerBatch: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(runs) as [keyof typeof runs, () => Promise<Phase>][]) results[name].push(await run());
}
const pool = (host as unknown as { workers?: { stats?(): unknown } }).workers?.stats?.();
await host.stop();
clearInterval(keepAlive);

// other processes on a shared box only ever slow a phase down: each mode's best round is the
// closest to what it does on a quiet machine (every round is in `rounds` below)
const best = (phases: Phase[]): Phase => [...phases].sort((a, b) => b.eventsPerSec - a.eventsPerSec)[0]!;
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, best(v)])) as Record<keyof typeof runs, Phase>;
const speedup = round(m.forecastWorker.eventsPerSec / m.forecastInline.eventsPerSec);
const smallRatio = round(m.smallWorkerBatch.eventsPerSec / m.smallInline.eventsPerSec);
console.log(
  JSON.stringify({
    bench: 'worker-pool',
    node: process.version,
    threads: 2,
    roundsRun: ROUNDS,
    cpuTask: { kind: 'holt-winters fit, 365 days, 1000-point grid', msPerEvent: round(forecastMs), events: FORECAST_EVENTS },
    inline: m.forecastInline,
    worker: m.forecastWorker,
    speedup,
    rawPiscinaBaseline: m.forecastRawPool,
    smallTask: { usPerEvent: round(smallUs), events: SMALL_EVENTS, batchSize: 100 },
    smallInline: m.smallInline,
    smallInlineBatch: m.smallInlineBatch,
    smallWorkerBatch: m.smallWorkerBatch,
    smallWorkerBatchVsInline: smallRatio,
    pool,
    targets: {
      'worker >= 1.6x inline': speedup >= 1.6,
      'worker loop p99 < 20 ms': m.forecastWorker.loopP99Ms < 20,
      'small worker batches lose <= 10%': smallRatio >= 0.9,
    },
    rounds: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map((p) => `${p.eventsPerSec}/s other-cpu ${p.otherCpu}`)])),
  }),
);

function timePerCall(fn: () => unknown, n: number): number {
  for (let i = 0; i < Math.min(n, 200); i++) fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t) / n;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
