/**
 * The runtime on a three-node RabbitMQ cluster with quorum queues against raw amqplib on the same
 * cluster and queue type, interleaved in one process run (raw, runtime, runtime, raw, …) so both
 * see the same machine load. Same settings on both sides: persistent ~1 KiB messages through a
 * topic exchange into a quorum queue declared with the runtime's arguments (dead-letter exchange,
 * at-least-once dead-lettering, reject-publish, delivery limit), publisher confirms with a window
 * of 1000, prefetch 200, acks coalesced per 50. Prints one JSON line: each round, the medians
 * (throughput, p50/p99 publish-to-handle latency, node CPU µs per message) and the ratios.
 *
 *   .ci/cluster.sh start
 *   node --import tsx bench/cluster/run.ts [messages]           (default 20 000 a round)
 *   BENCH_ROUNDS=3 BENCH_WARMUP=2000 RABBITMQ_URLS=amqp://…,…   (default: the .ci/cluster.sh nodes)
 */
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { createHost, definePlugin } from 'stokcerdas';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { buildTopology } from '../../runtime/topology/build.ts';
import { body, measureWarm, sendWindowed, stockPayload as payload, type LoopResult, type LoopSettings } from '../amqp-throughput/measure.ts';

const urls = (process.env.RABBITMQ_URLS ?? 'amqp://guest:guest@127.0.0.1:5681,amqp://guest:guest@127.0.0.1:5682,amqp://guest:guest@127.0.0.1:5683').split(',');
const messages = Number(process.argv[2] ?? process.env.BENCH_MESSAGES ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const settings: LoopSettings = { url: urls[0]!, messages, prefetch: 200, window: 1000, bodyBytes: 1024, warmup: Number(process.env.BENCH_WARMUP ?? 2_000) };
const DELIVERY_LIMIT = 20;


/** Raw amqplib asking the cluster for what the runtime asks: topic exchange, quorum queue with DLX, confirms, coalesced acks. */
async function runRaw(s: LoopSettings, name: string): Promise<LoopResult> {
  const conn = await amqp.connect(s.url);
  const admin = await conn.createChannel();
  const exchange = `${name}.events`;
  const routingKey = 'inventory.stock.level.changed';
  try {
    await admin.assertExchange(exchange, 'topic', { durable: true });
    await admin.assertExchange(`${name}.dlx`, 'direct', { durable: true });
    await admin.assertQueue(`${name}.dlq`, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await admin.assertQueue(name, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': `${name}.dlx`,
        'x-dead-letter-routing-key': name,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-delivery-limit': DELIVERY_LIMIT,
      },
    });
    await admin.bindQueue(name, exchange, routingKey);
    const pub = await conn.createConfirmChannel();
    const sub = await conn.createChannel();
    await sub.prefetch(s.prefetch); // per consumer: a global qos would close the connection on a quorum queue
    const content = body(s.bodyBytes);
    let handled: (i: number) => void = () => {};
    let unacked = 0;
    let last: amqp.ConsumeMessage | undefined;
    let tail: NodeJS.Timeout | undefined;
    await sub.consume(name, (msg) => {
      if (!msg) return;
      handled(Number(msg.properties.messageId));
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
    });
    return await measureWarm(s, async (sentAt, onHandled) => {
      handled = onHandled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        pub.publish(exchange, routingKey, content, { persistent: true, messageId: String(i), contentType: 'application/cloudevents+json', type: routingKey, appId: 'bench' }, (err) => {
          if (err) throw err;
          confirmed();
        });
      });
    });
  } finally {
    for (const q of [name, `${name}.dlq`]) await admin.deleteQueue(q).catch(() => {});
    for (const x of [exchange, `${name}.dlx`]) await admin.deleteExchange(x).catch(() => {});
    await conn.close().catch(() => {});
  }
}

/** The whole runtime on the cluster (broker.urls, quorum queues) with a no-op inline handler. */
async function runRuntime(s: LoopSettings, prefix: string): Promise<LoopResult> {
  let handledCallback: (i: number) => void = () => {};
  const plugin = definePlugin({
    name: 'bench',
    version: '1.0.0',
    handlers: { noop: { subscribe: { routingKeys: ['inventory.stock.level.changed'] }, handle: (event) => handledCallback(Number(event.data.stockMovement.referenceId)) } },
  });
  const host = createHost(
    { broker: { urls, prefix, queueType: 'quorum', deliveryLimit: DELIVERY_LIMIT, prefetch: s.prefetch, concurrency: s.prefetch }, http: { enabled: false }, retry: { maxAttempts: 1 } },
    { plugins: [plugin], logger: silentLogger },
  );
  await host.start();
  try {
    return await measureWarm(s, async (sentAt, handled) => {
      handledCallback = handled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        host.publish('inventory.stock.level.changed', payload(i), { tenantId: 't1' }).then(confirmed, (err: unknown) => {
          console.error(err);
          process.exit(1);
        });
      });
    });
  } finally {
    await host.stop();
    await deleteRuntimeTopology(prefix);
  }
}

/** Everything the runtime declared under `prefix`, by name (the cluster nodes have no management API to list them). */
async function deleteRuntimeTopology(prefix: string): Promise<void> {
  const retry = { maxAttempts: 1, delayMs: 0, multiplier: 1, maxDelayMs: 0 };
  const spec = buildTopology([{ exchange: 'inventory.events', routingKeys: ['inventory.stock.level.changed'], queue: 'bench.noop', retry }], { prefix, queueType: 'quorum' });
  const conn = await amqp.connect(urls[0]!);
  const remove = async (kind: 'queue' | 'exchange', name: string) => {
    const c = await conn.createChannel();
    c.on('error', () => {});
    await (kind === 'queue' ? c.deleteQueue(name) : c.deleteExchange(name)).catch(() => {});
    await c.close().catch(() => {});
  };
  for (const q of spec.queues) await remove('queue', q.name);
  for (const x of spec.exchanges) await remove('exchange', x.name);
  await conn.close().catch(() => {});
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
const tag = randomBytes(3).toString('hex');

const raw: LoopResult[] = [];
const runtime: LoopResult[] = [];
for (let r = 0; r < rounds; r++) {
  // alternate which side goes first, so neither always meets the broker right after the other's load
  const sides = r % 2 === 0 ? (['raw', 'runtime'] as const) : (['runtime', 'raw'] as const);
  for (const side of sides) {
    if (side === 'raw') raw.push(await runRaw(settings, `bench-cluster-raw-${tag}-${r}`));
    else runtime.push(await runRuntime(settings, `bench-cluster-${tag}-${r}`));
  }
}
const summary = (xs: LoopResult[]) => ({
  msgsPerSec: median(xs.map((x) => x.msgsPerSec)),
  p50Ms: median(xs.map((x) => x.p50Ms)),
  p99Ms: median(xs.map((x) => x.p99Ms)),
  cpuUsPerMsg: median(xs.map((x) => x.cpuUsPerMsg)),
});
const rawMedian = summary(raw);
const runtimeMedian = summary(runtime);
console.log(
  JSON.stringify({
    bench: 'cluster-quorum',
    date: new Date().toISOString().slice(0, 10),
    nodes: urls.length,
    messages,
    rounds,
    raw,
    runtime,
    median: { raw: rawMedian, runtime: runtimeMedian },
    ratios: {
      throughput: ratio(runtimeMedian.msgsPerSec, rawMedian.msgsPerSec),
      p50: ratio(runtimeMedian.p50Ms, rawMedian.p50Ms),
      p99: ratio(runtimeMedian.p99Ms, rawMedian.p99Ms),
      cpuPerMsg: ratio(runtimeMedian.cpuUsPerMsg, rawMedian.cpuUsPerMsg),
    },
  }),
);
process.exit(0);
