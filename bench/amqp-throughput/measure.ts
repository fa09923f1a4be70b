/**
 * What every side of the AMQP benchmarks shares: the settings, the timed loop (publish-to-handle
 * latency, node CPU from process.cpuUsage split into the main thread, the others (V8's GC and
 * compiler threads, libuv's) and system time, peak RSS), the publish window, and the message shapes.
 * Env switches read here: BENCH_THREADS=1 prints CPU ms per thread name to stderr;
 * BENCH_LATENCY_BLOCKS=1 prints p50/p99 per tenth of the run to stderr; BENCH_PROFILE=<file>
 * writes a CPU profile of the timed loop alone (no start-up, warm-up or clean-up in it).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface LoopSettings {
  url: string;
  messages: number;
  prefetch: number;
  window: number;
  bodyBytes: number;
  /** messages sent through the same path first, untimed, so every side is measured warm (JIT, pools) */
  warmup: number;
}

export interface LoopResult {
  msgsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerMsg: number;
  /** the kernel's share of cpuUsPerMsg */
  sysUsPerMsg: number;
  /** cpuUsPerMsg by thread (Linux /proc; 0 elsewhere): the JavaScript thread, and V8's and libuv's other threads */
  mainUsPerMsg: number;
  otherUsPerMsg: number;
  peakRssMb: number;
  /** RSS once the side is set up (connected, topology declared), before its first message */
  readyRssMb: number;
  seconds: number;
}

/** A persistent 1 KiB CloudEvent-shaped JSON body (the same bytes for every message). */
export function body(bytes: number): Buffer {
  const event = { specversion: '1.0', id: '00000000-0000-4000-8000-000000000000', source: 'bench', type: 'inventory.stock.level.changed', data: { pad: '' } };
  event.data.pad = 'x'.repeat(Math.max(0, bytes - Buffer.byteLength(JSON.stringify(event))));
  return Buffer.from(JSON.stringify(event));
}

/** Times one loop: `run(record)` publishes every message and calls `record(i)` when message i is handled. */
export async function measure(settings: LoopSettings, run: (sentAt: Float64Array, handled: (i: number) => void) => Promise<void>): Promise<LoopResult> {
  const sentAt = new Float64Array(settings.messages);
  const latency = new Float64Array(settings.messages);
  const rss0 = process.memoryUsage.rss();
  let peakRss = rss0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  let count = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const threads0 = threadCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(sentAt, (i) => {
    latency[i] = performance.now() - sentAt[i];
    if (++count === settings.messages) done();
  });
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const byThread = threadCpuDelta(threads0, threadCpu());
  if (process.env.BENCH_THREADS === '1') console.error(JSON.stringify({ threadCpuMs: byThread }));
  const mainMs = byThread.main ?? 0;
  const otherMs = Object.values(byThread).reduce((a, b) => a + b, 0) - mainMs;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (process.env.BENCH_LATENCY_BLOCKS === '1') {
    const block = Math.ceil(settings.messages / 10);
    const p50s = [];
    for (let b = 0; b < settings.messages; b += block) {
      const part = Float64Array.from(latency.subarray(b, b + block)).sort();
      p50s.push(`${Math.round(part[Math.floor(part.length / 2)])}/${Math.round(part[Math.floor(part.length * 0.99)])}`);
    }
    console.error(JSON.stringify({ latencyP50P99ByTenth: p50s }));
  }
  const sorted = Float64Array.from(latency).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    msgsPerSec: Math.round(settings.messages / seconds),
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    cpuUsPerMsg: round((cpu.user + cpu.system) / settings.messages),
    sysUsPerMsg: round(cpu.system / settings.messages),
    mainUsPerMsg: round((mainMs * 1000) / settings.messages),
    otherUsPerMsg: round((otherMs * 1000) / settings.messages),
    peakRssMb: round(peakRss / 1024 / 1024),
    readyRssMb: round(rss0 / 1024 / 1024),
    seconds: round(seconds),
  };
}

/** `settings.warmup` messages through `run` first (not timed), then the timed loop: steady state, as a long-running host sees it. */
export async function measureWarm(settings: LoopSettings, run: (sentAt: Float64Array, handled: (i: number) => void) => Promise<void>): Promise<LoopResult> {
  const ready = round(process.memoryUsage.rss() / 1024 / 1024);
  if (settings.warmup > 0) await measure({ ...settings, messages: settings.warmup }, run);
  return { ...(await profiled(() => measure(settings, run))), readyRssMb: ready };
}

/** BENCH_PROFILE=<file>: the V8 CPU profile of `work` alone (`node --cpu-prof` would also hold start-up, warm-up and clean-up) */
async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_PROFILE;
  if (process.env.BENCH_ALLOC_PROFILE) return allocationProfiled(process.env.BENCH_ALLOC_PROFILE, work);
  if (!file) return work();
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

/**
 * BENCH_ALLOC_PROFILE=<file>: V8's sampling heap profile of `work` alone, counting what the young and
 * old generation collections took back too, so it says where a message's garbage is allocated
 * (every 8 KiB allocated on average is sampled). Open it in Chrome DevTools' Memory tab.
 */
async function allocationProfiled<T>(file: string, work: () => Promise<T>): Promise<T> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const result = await work();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

export const round = (n: number) => Math.round(n * 100) / 100;

/**
 * CPU ms of the main thread and of the others (V8's GC and compiler threads, libuv's) from /proc:
 * process.cpuUsage sums them, and the other threads' share is what garbage retention costs. Empty where
 * there is no /proc (the per-thread figures are then 0).
 */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100/s)
      out.set(`${Number(tid) === process.pid ? 'main' : name}#${tid}`, ticks * 10);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const [key, ms] of after) {
    const name = key.slice(0, key.indexOf('#'));
    byName[name] = (byName[name] ?? 0) + ms - (before.get(key) ?? 0);
  }
  return byName;
}

/**
 * Sends `sentAt.length` messages with at most `window` awaiting their confirm, stamping each send
 * time, and resolves once every confirm is in; `send(i, confirmed)` publishes message i and calls
 * `confirmed` on its confirm.
 */
export async function sendWindowed(sentAt: Float64Array, window: number, send: (i: number, confirmed: () => void) => void): Promise<void> {
  let open = 0;
  let wake: (() => void) | undefined;
  const confirmed = () => {
    open--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  for (let i = 0; i < sentAt.length; i++) {
    while (open >= window) await new Promise<void>((r) => (wake = r));
    open++;
    sentAt[i] = performance.now();
    send(i, confirmed);
  }
  // a persistent message can reach its consumer before its publisher hears the confirm: the loop
  // ends when both have happened for every message (closing earlier fails the late confirms)
  while (open > 0) await new Promise<void>((r) => (wake = r));
}

const pad = 'x'.repeat(427); // the CloudEvent envelope (with its dataschema) and context extensions bring the body to 1 KiB, as raw's
/** the canonical stock movement; `referenceId` carries the sequence number, `pad` rides along beside the parts */
export const stockPayload = (i: number) => ({
  productData: { id: `SKU-${i % 500}` },
  locationData: { id: 'WH-JKT' },
  stockMovement: { type: 'sale' as const, quantity: -1, referenceId: String(i) },
  stockLevel: { previous: 20, current: 19 },
  pad,
});

/** what a JSON client of the wire format sends: envelope, the payload the runtime side publishes, context extensions */
export type BenchCloudEvent = ReturnType<typeof cloudEvent>;

/** The CloudEvent the peers build per message, as large as the runtime's (~1 KiB); `i` rides in `data.stockMovement.referenceId`. */
export function cloudEvent(i: number, bodyBytes: number) {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'bench',
    type: 'inventory.stock.level.changed',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { ...stockPayload(i), pad: padFor(bodyBytes) },
    tenantid: 't1',
    indotimezone: 'Asia/Jakarta',
    indozone: 'WIB',
    indobusinesshours: true,
    indoramadan: false,
    indoseasonal: '1',
  };
}

/** the event above without its pad serialises to ~509 bytes; the pad brings it to `bodyBytes` */
const pads = new Map<number, string>();
function padFor(bodyBytes: number): string {
  let p = pads.get(bodyBytes);
  if (p === undefined) pads.set(bodyBytes, (p = 'x'.repeat(Math.max(0, bodyBytes - 509))));
  return p;
}

/** the sequence number a handler reads back from a parsed CloudEvent */
export const seqOf = (event: { data: { stockMovement: { referenceId: string } } }) => Number(event.data.stockMovement.referenceId);
