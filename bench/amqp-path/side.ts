/**
 * One side of bench/amqp-path in its own process: `raw` (amqplib doing the runtime's job by hand:
 * topic exchange, queue with a dead-letter exchange, the CloudEvents properties, a JSON CloudEvent
 * built and parsed per message, confirms, acks coalesced per 50) or `runtime` (the whole host with a
 * no-op handler), loaded from `BENCH_ROOT` (default this checkout) so two commits can be compared.
 * Prints one JSON line. Run through run.ts; `node --cpu-prof` etc. via BENCH_NODE_ARGS there.
 *
 *   node --import tsx bench/amqp-path/side.ts raw|runtime [messages]
 *   BENCH_QUEUE_TYPE=quorum   BENCH_WARMUP=5000   RABBITMQ_URL=amqp://…
 *   BENCH_PROFILE=<file>       CPU profile of the timed loop alone
 *   BENCH_SNAPSHOT=<prefix>    heap snapshot half-way through the timed loop
 *   BENCH_HEAP=1 BENCH_LATENCY_BLOCKS=1   heap spaces / p50 and p99 of each tenth, to stderr
 *   raw only: BENCH_RAW_NODELAY=1 (TCP_NODELAY, as the runtime), BENCH_RAW_CORK=1 (socket writes
 *   batched as the runtime's), BENCH_RAW_TWOCONN=1 (publish and consume on two connections, as the runtime)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import amqp from 'amqplib';

const require = createRequire(import.meta.url);

const url = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const side = process.argv[2] ?? 'raw';
const messages = Number(process.argv[3] ?? 20_000);
const warmup = Number(process.env.BENCH_WARMUP ?? 5_000);
const quorum = process.env.BENCH_QUEUE_TYPE === 'quorum';
const prefetch = 200;
const window = 1000;
const routingKey = 'inventory.stock.level.changed';
const tag = randomBytes(3).toString('hex');

type Run = (sentAt: Float64Array, handled: (i: number) => void) => Promise<void>;

/** CPU ms of the main thread and of all others (V8 helpers, libuv), from /proc */
function threadCpu(): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      if (Number(tid) === process.pid) main += ms;
      else other += ms;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { main, other };
}

/** BENCH_PROFILE=<file>: a CPU profile of the timed loop alone (not start-up, warm-up or clean-up) */
async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return work();
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = await session.post('Profiler.stop');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

async function measure(n: number, run: Run) {
  const sentAt = new Float64Array(n);
  const latency = new Float64Array(n);
  const rss0 = process.memoryUsage.rss();
  let peakRss = rss0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  let count = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const th0 = threadCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const snapshotAt = process.env.BENCH_SNAPSHOT && n === messages ? Math.floor(n / 2) : -1;
  await run(sentAt, (i) => {
    if (count === snapshotAt) {
      const { writeHeapSnapshot } = require('node:v8') as typeof import('node:v8');
      writeHeapSnapshot(`${process.env.BENCH_SNAPSHOT}.mid.heapsnapshot`);
    }
    latency[i] = performance.now() - sentAt[i]!;
    if (++count === n) done();
  });
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const th1 = threadCpu();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (process.env.BENCH_LATENCY_BLOCKS === '1') {
    const block = Math.ceil(n / 10);
    const parts: string[] = [];
    for (let b = 0; b < n; b += block) {
      const part = Float64Array.from(latency.subarray(b, b + block)).sort();
      parts.push(`${Math.round(part[Math.floor(part.length / 2)]!)}/${Math.round(part[Math.floor(part.length * 0.99)]!)}`);
    }
    console.error(JSON.stringify({ latencyP50P99ByTenth: parts }));
  }
  const sorted = Float64Array.from(latency).sort();
  const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))]!;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  if (process.env.BENCH_HEAP === '1') {
    const { getHeapSpaceStatistics } = await import('node:v8');
    const mu = process.memoryUsage();
    console.error(JSON.stringify({ n, rss: mu.rss >> 20, heapTotal: mu.heapTotal >> 20, heapUsed: mu.heapUsed >> 20, external: mu.external >> 20, arrayBuffers: mu.arrayBuffers >> 20, spaces: Object.fromEntries(getHeapSpaceStatistics().map((x) => [x.space_name, [x.space_size >> 20, x.space_used_size >> 20]])) }));
  }
  return {
    msgsPerSec: Math.round(n / seconds),
    p50Ms: r2(at(0.5)),
    p99Ms: r2(at(0.99)),
    cpuUsPerMsg: r2((cpu.user + cpu.system) / n),
    sysUsPerMsg: r2(cpu.system / n),
    mainUsPerMsg: r2(((th1.main - th0.main) * 1000) / n),
    otherUsPerMsg: r2(((th1.other - th0.other) * 1000) / n),
    peakRssMb: r2(peakRss / 2 ** 20),
    startRssMb: r2(rss0 / 2 ** 20),
  };
}

async function sendWindowed(sentAt: Float64Array, send: (i: number, confirmed: () => void) => void): Promise<void> {
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

const pad = 'x'.repeat(427);
const payload = (i: number) => ({
  productData: { id: `SKU-${i % 500}` },
  locationData: { id: 'WH-JKT' },
  stockMovement: { type: 'sale' as const, quantity: -1, referenceId: String(i) },
  stockLevel: { previous: 20, current: 19 },
  pad,
});

/** what the runtime sends, about 1 KiB: envelope, payload, context extensions */
const cloudEvent = (i: number) => ({
  specversion: '1.0',
  id: randomUUID(),
  source: 'bench',
  type: routingKey,
  time: new Date().toISOString(),
  datacontenttype: 'application/json',
  dataschema: 'urn:stokcerdas:schema:inventory.stock.level.changed:v1',
  data: payload(i),
  tenantid: 't1',
  indotimezone: 'Asia/Jakarta',
  indozone: 'WIB',
  indobusinesshours: true,
  indoramadan: false,
  indoseasonal: '1',
});

async function raw(): Promise<{ result: unknown; cleanup: () => Promise<void> }> {
  const q = `bench-path-raw-${tag}`;
  const conn = await amqp.connect(url, process.env.BENCH_RAW_NODELAY === '1' ? { noDelay: true } : {});
  if (process.env.BENCH_RAW_CORK === '1') {
    const mux = (conn as unknown as { connection: { muxer: { out: import('node:net').Socket; _readIncoming(): void } } }).connection.muxer;
    const read = mux._readIncoming;
    mux._readIncoming = function () {
      this.out.cork();
      try {
        read.call(this);
      } finally {
        this.out.uncork();
      }
    };
  }
  const admin = await conn.createChannel();
  const exchange = `${q}.events`;
  await admin.assertExchange(exchange, 'topic', { durable: true });
  await admin.assertExchange(`${q}.dlx`, 'direct', { durable: true });
  const args: Record<string, unknown> = { 'x-dead-letter-exchange': `${q}.dlx`, 'x-dead-letter-routing-key': q };
  if (quorum) Object.assign(args, { 'x-queue-type': 'quorum', 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish', 'x-delivery-limit': 20 });
  await admin.assertQueue(q, { durable: true, arguments: args });
  await admin.bindQueue(q, exchange, routingKey);
  const pub = await conn.createConfirmChannel();
  const subConn = process.env.BENCH_RAW_TWOCONN === '1' ? await amqp.connect(url) : conn;
  const sub = await subConn.createChannel();
  await sub.prefetch(prefetch);
  let handled: (i: number) => void = () => {};
  let unacked = 0;
  let last: amqp.ConsumeMessage | undefined;
  let tail: NodeJS.Timeout | undefined;
  await sub.consume(q, (msg) => {
    if (!msg) return;
    const event = JSON.parse(msg.content.toString('utf8')) as { data: { stockMovement: { referenceId: string } } };
    handled(Number(event.data.stockMovement.referenceId));
    last = msg;
    if (++unacked >= 50) {
      sub.ack(msg, true);
      unacked = 0;
      return;
    }
    tail ??= setTimeout(() => {
      tail = undefined;
      if (unacked === 0 || !last) return;
      unacked = 0;
      sub.ack(last, true);
    }, 10);
    tail.unref();
  });
  const readyRssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
  const run: Run = (sentAt, onHandled) => {
    handled = onHandled;
    return sendWindowed(sentAt, (i, confirmed) => {
      const e = cloudEvent(i);
      const options: amqp.Options.Publish = {
        persistent: true, messageId: e.id, contentType: 'application/cloudevents+json', type: routingKey,
        timestamp: Math.floor(Date.now() / 1000), correlationId: e.id, priority: 5, expiration: '1800000', appId: 'bench',
      };
      pub.publish(exchange, routingKey, Buffer.from(JSON.stringify(e)), options, (err) => {
        if (err) throw err;
        confirmed();
      });
    });
  };
  if (warmup > 0) await measure(warmup, run);
  const result = { ...(await profiled(() => measure(messages, run))), readyRssMb };
  return {
    result,
    cleanup: async () => {
      clearTimeout(tail);
      await sub.close();
      await admin.deleteQueue(q);
      await admin.deleteExchange(exchange);
      await admin.deleteExchange(`${q}.dlx`);
      await conn.close();
      if (subConn !== conn) await subConn.close();
    },
  };
}

async function runtime(): Promise<{ result: unknown; cleanup: () => Promise<void> }> {
  const root = resolve(process.env.BENCH_ROOT ?? resolve(import.meta.dirname, '../..'));
  const { createHost, definePlugin } = (await import(pathToFileURL(`${root}/runtime/index.ts`).href)) as typeof import('../../runtime/index.ts');
  const { silentLogger } = (await import(pathToFileURL(`${root}/runtime/observability/logger.ts`).href)) as typeof import('../../runtime/observability/logger.ts');
  const { deleteByPrefix } = (await import(pathToFileURL(`${root}/test/support/broker.ts`).href)) as typeof import('../../test/support/broker.ts');
  const prefix = `bench-path-rt-${tag}`;
  let handled: (i: number) => void = () => {};
  const plugin = definePlugin({
    name: 'bench',
    version: '1.0.0',
    handlers: {
      noop: {
        subscribe: { routingKeys: [routingKey] },
        handle(event) {
          handled(Number(event.data.stockMovement.referenceId));
        },
      },
    },
  });
  const host = createHost(
    {
      broker: { url, prefix, prefetch, concurrency: prefetch, ...(quorum ? { queueType: 'quorum' as const } : {}) },
      http: { enabled: false },
      retry: { maxAttempts: 1 },
    },
    { plugins: [plugin], logger: silentLogger },
  );
  await host.start();
  const run: Run = (sentAt, onHandled) => {
    handled = onHandled;
    return sendWindowed(sentAt, (i, confirmed) => {
      host.publish(routingKey, payload(i), { tenantId: 't1' }).then(confirmed, (err: unknown) => {
        console.error(err);
        process.exit(1);
      });
    });
  };
  const readyRssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
  if (warmup > 0) await measure(warmup, run);
  const result = { ...(await profiled(() => measure(messages, run))), readyRssMb };
  return {
    result,
    cleanup: async () => {
      await host.stop();
      await deleteByPrefix(url, prefix);
    },
  };
}

const { result, cleanup } = side === 'raw' ? await raw() : await runtime();
console.log(JSON.stringify({ side, root: process.env.BENCH_ROOT ?? '.', quorum, messages, ...(result as object) }));
await cleanup().catch((err: unknown) => console.error('cleanup', err));
process.exit(0);
