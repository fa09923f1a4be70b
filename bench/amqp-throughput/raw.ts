/**
 * Baseline: raw amqplib against the transport's publish/consume, same settings, same run.
 * Confirm channel, persistent 1 KiB JSON, prefetch 200, publish window 1000, publisher and consumer
 * in one process. Prints ONE JSON line: msgs/s, p50/p99 publish-to-handle latency, node CPU µs per
 * message, peak RSS for each, and the transport/raw ratios.
 *
 *   node --import tsx bench/amqp-throughput/raw.ts [messages]      (default 50 000; BENCH_MESSAGES too)
 *   RABBITMQ_URL=amqp://…  BENCH_RAW_ACK=coalesced (raw acks `multiple` every 50)
 *   BENCH_ONLY=raw|transport runs one side alone (e.g. under `node --cpu-prof`)
 *   BENCH_WARMUP=5000 messages first through each side, untimed (0: measure cold)
 *   BENCH_THREADS=1 prints CPU ms per thread name (main vs V8/libuv helpers) to stderr
 *   BENCH_ROUNDS=3 alternates raw/transport order per round and reports each side's median run
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import amqp from 'amqplib';
import { createAmqpTransport } from '../../runtime/transport/amqp/index.ts';

export interface LoopSettings {
  url: string;
  messages: number;
  prefetch: number;
  window: number;
  bodyBytes: number;
  /** messages sent through the same path first, untimed, so both sides are measured warm (JIT, pools) */
  warmup: number;
}

export interface LoopResult {
  msgsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerMsg: number;
  peakRssMb: number;
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
  let peakRss = process.memoryUsage.rss();
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
  if (process.env.BENCH_THREADS === '1') console.error(JSON.stringify({ threadCpuMs: threadCpuDelta(threads0, threadCpu()) }));
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
    peakRssMb: round(peakRss / 1024 / 1024),
    seconds: round(seconds),
  };
}

/** `settings.warmup` messages through `run` first (not timed), then the timed loop: steady state, as a long-running host sees it. */
export async function measureWarm(settings: LoopSettings, run: (sentAt: Float64Array, handled: (i: number) => void) => Promise<void>): Promise<LoopResult> {
  if (settings.warmup > 0) await measure({ ...settings, messages: settings.warmup }, run);
  return measure(settings, run);
}

const round = (n: number) => Math.round(n * 100) / 100;

/** CPU ms of the main thread and of the others (V8's GC helpers, libuv) from /proc (Linux; BENCH_THREADS=1) */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  if (process.env.BENCH_THREADS !== '1') return out;
  for (const tid of readdirSync('/proc/self/task')) {
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

/** The run with the median throughput (its latency, CPU and RSS belong to the same run). */
function median(results: LoopResult[]): LoopResult {
  return [...results].sort((a, b) => a.msgsPerSec - b.msgsPerSec)[Math.floor((results.length - 1) / 2)];
}

/**
 * Sends `sentAt.length` messages with at most `window` awaiting their confirm, stamping each send
 * time; `send(i, confirmed)` publishes message i and calls `confirmed` on its confirm.
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
}

/**
 * How the raw client routes and labels its messages. `default`: straight to the queue through the
 * default exchange with two properties, the cheapest thing a broker can do. `topic`: what the
 * runtime asks of the broker — a durable topic exchange, a queue with a dead-letter exchange, and
 * the properties the runtime's codec mirrors (messageId, type, timestamp, correlationId, priority, expiration,
 * appId) — so the difference to the runtime is the runtime's own node-side work.
 */
export type RawRoute = 'default' | 'topic';

export interface RawOptions {
  /** ack `multiple` once per 50 deliveries, as the runtime's consumer does */
  coalesced?: boolean;
  route?: RawRoute;
  /**
   * Each message a CloudEvent built and `JSON.stringify`d on publish and `JSON.parse`d on delivery
   * (the least any client of a JSON wire format does), instead of one prebuilt buffer never read.
   */
  json?: boolean;
}

export async function runRaw(s: LoopSettings, queue: string, { coalesced = false, route = 'default', json = false }: RawOptions = {}): Promise<LoopResult> {
  const conn = await amqp.connect(s.url);
  try {
    const admin = await conn.createChannel();
    const exchange = route === 'topic' ? `${queue}.events` : '';
    const routingKey = route === 'topic' ? 'inventory.stock.level.changed' : queue;
    await admin.assertQueue(queue, { durable: true, arguments: route === 'topic' ? { 'x-dead-letter-exchange': `${queue}.dlx` } : {} });
    if (route === 'topic') {
      await admin.assertExchange(exchange, 'topic', { durable: true });
      await admin.bindQueue(queue, exchange, routingKey);
    }
    const pub = await conn.createConfirmChannel();
    const sub = await conn.createChannel();
    await sub.prefetch(s.prefetch);
    const payload = body(s.bodyBytes);
    let handled: (i: number) => void = () => {};
    let unacked = 0;
    let tail: NodeJS.Timeout | undefined;
    let last: amqp.ConsumeMessage | undefined;
    const pad = 'x'.repeat(Math.max(0, s.bodyBytes - 509));
    await sub.consume(queue, (msg) => {
      if (!msg) return;
      handled(json ? (JSON.parse(msg.content.toString('utf8')) as { data: { seq: number } }).data.seq : Number(msg.properties.messageId));
      if (!coalesced) return sub.ack(msg);
      last = msg;
      if (++unacked >= 50) {
        sub.ack(msg, true);
        unacked = 0;
        return;
      }
      // a coalescing raw client still acks the tail of a run, a moment later
      tail ??= setTimeout(() => {
        tail = undefined;
        if (unacked === 0 || !last) return;
        unacked = 0;
        try {
          sub.ack(last, true);
        } catch {
          // closed after the run: the queue is deleted anyway
        }
      }, 10);
    });
    return await measureWarm(s, async (sentAt, onHandled) => {
      handled = onHandled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        const options: amqp.Options.Publish = { persistent: true, messageId: String(i), contentType: 'application/cloudevents+json' };
        if (route === 'topic') {
          options.type = routingKey;
          options.timestamp = Math.floor(Date.now() / 1000);
          options.correlationId = randomUUID();
          options.priority = 5;
          options.expiration = '1800000';
          options.appId = 'bench';
        }
        const content = json ? Buffer.from(JSON.stringify(cloudEvent(i, pad))) : payload;
        pub.publish(exchange, routingKey, content, options, (err) => {
          if (err) throw err;
          confirmed();
        });
      });
    });
  } finally {
    const admin = await conn.createChannel();
    await admin.deleteQueue(queue).catch(() => {});
    if (route === 'topic') await admin.deleteExchange(`${queue}.events`).catch(() => {});
    await conn.close().catch(() => {});
  }
}

/** the shape the runtime sends: envelope, the payload the runtime bench publishes, context extensions */
function cloudEvent(i: number, pad: string) {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'bench',
    type: 'inventory.stock.level.changed',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {
      productData: { id: `SKU-${i % 500}` },
      locationData: { id: 'WH-JKT' },
      stockMovement: { type: 'sale', quantity: -1, referenceId: String(i) },
      stockLevel: { previous: 20, current: 19 },
      pad,
    },
    tenantid: 't1',
    indotimezone: 'Asia/Jakarta',
    indozone: 'WIB',
    indobusinesshours: true,
    indoramadan: false,
    indoseasonal: '1',
  };
}

export async function runTransport(s: LoopSettings, queue: string): Promise<LoopResult> {
  const transport = createAmqpTransport({ url: s.url, reconnect: { initialDelayMs: 200, maxDelayMs: 5_000 }, publishBufferSize: s.window * 2, connectionName: `bench-${queue}` });
  await transport.connect();
  try {
    await transport.assertTopology({ exchanges: [], queues: [{ name: queue }], routes: [] });
    const payload = body(s.bodyBytes);
    let handled: (i: number) => void = () => {};
    await transport.consume(queue, { prefetch: s.prefetch, concurrency: s.prefetch }, async (d) => {
      handled(Number(d.properties.messageId));
      return 'ack';
    });
    return await measureWarm(s, async (sentAt, onHandled) => {
      handled = onHandled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        transport
          .publish({ exchange: '', routingKey: queue, body: payload, properties: { messageId: String(i), contentType: 'application/cloudevents+json' } })
          .then(confirmed, (err: unknown) => {
            throw err;
          });
      });
    });
  } finally {
    await transport.close();
    const conn = await amqp.connect(s.url);
    await (await conn.createChannel()).deleteQueue(queue).catch(() => {});
    await conn.close().catch(() => {});
  }
}

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? process.env.BENCH_MESSAGES ?? 50_000);
  const settings: LoopSettings = {
    url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    messages,
    prefetch: 200,
    window: 1000,
    bodyBytes: 1024,
    warmup: Number(process.env.BENCH_WARMUP ?? 5_000),
  };
  const coalesced = process.env.BENCH_RAW_ACK === 'coalesced';
  const tag = randomBytes(4).toString('hex');
  const only = process.env.BENCH_ONLY; // 'raw' | 'transport': one side alone, for a CPU profile
  if (only === 'raw' || only === 'transport') {
    const result = only === 'raw' ? await runRaw(settings, `bench.amqp-throughput.raw.${tag}`, { coalesced }) : await runTransport(settings, `bench.amqp-throughput.transport.${tag}`);
    console.log(JSON.stringify({ bench: 'amqp-throughput', messages, only, [only]: result }));
    return;
  }
  // rounds alternate which side goes first, so drift in a shared box's load hits both alike
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
  const raws: LoopResult[] = [];
  const transports: LoopResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['raw', 'transport'] : ['transport', 'raw'];
    for (const side of order) {
      if (side === 'raw') raws.push(await runRaw(settings, `bench.amqp-throughput.raw.${tag}.${r}`, { coalesced }));
      else transports.push(await runTransport(settings, `bench.amqp-throughput.transport.${tag}.${r}`));
    }
  }
  const raw = median(raws);
  const transport = median(transports);
  const ratio = {
    throughput: round(transport.msgsPerSec / raw.msgsPerSec),
    cpuPerMsg: round(transport.cpuUsPerMsg / raw.cpuUsPerMsg),
    p99: round(transport.p99Ms / raw.p99Ms),
  };
  const line = {
    bench: 'amqp-throughput', messages, bodyBytes: settings.bodyBytes, prefetch: 200, window: 1000,
    rawAck: coalesced ? 'coalesced-50' : 'per-message', rounds, raw, transport, ratio,
    ...(rounds > 1 ? { runs: { raw: raws.map((x) => x.msgsPerSec), transport: transports.map((x) => x.msgsPerSec) } } : {}),
  };
  console.log(JSON.stringify(line));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
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

