/**
 * The runtime on a three-node RabbitMQ cluster with quorum queues against raw amqplib on the same
 * cluster and queue type, interleaved in one process run (raw, runtime, runtime, raw, …) so both
 * see the same machine load. Same settings on both sides: persistent ~1 KiB messages through a
 * topic exchange into a quorum queue declared with the runtime's arguments (dead-letter exchange,
 * at-least-once dead-lettering, reject-publish, delivery limit), publisher confirms with a window
 * of 1000, prefetch 200, acks coalesced per 50. Prints one JSON line: each round, the medians
 * (throughput, p50/p99 publish-to-handle latency, node CPU µs per message) and the ratios.
 * Both sides are bench/amqp-throughput's (raw.ts with the runtime's route and a prebuilt body,
 * runtime.ts given the cluster's URLs), so the cluster figures and the single-broker ones measure
 * the same code; what is the cluster's own here is the URLs and the clean-up by name.
 *
 *   .ci/cluster.sh start
 *   node --import tsx bench/cluster/run.ts [messages]           (default 20 000 a round)
 *   BENCH_ROUNDS=3 BENCH_WARMUP=2000 RABBITMQ_URLS=amqp://…,…   (default: the .ci/cluster.sh nodes)
 */
import { randomBytes } from 'node:crypto';
import { deleteByPrefix } from '../../test/support/broker.ts';
import type { LoopResult, LoopSettings } from '../amqp-throughput/measure.ts';
import { rawNames, runRaw } from '../amqp-throughput/sides/raw.ts';
import { runRuntime, runtime as runtimeSide } from '../amqp-throughput/sides/runtime.ts';

const urls = (process.env.RABBITMQ_URLS ?? 'amqp://guest:guest@127.0.0.1:5681,amqp://guest:guest@127.0.0.1:5682,amqp://guest:guest@127.0.0.1:5683').split(',');
const messages = Number(process.argv[2] ?? process.env.BENCH_MESSAGES ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const settings: LoopSettings = { url: urls[0]!, messages, prefetch: 200, window: 1000, bodyBytes: 1024, warmup: Number(process.env.BENCH_WARMUP ?? 2_000) };

/** Raw amqplib asking the cluster for what the runtime asks: topic exchange, quorum queue with DLX, confirms, coalesced acks. */
async function rawOnCluster(name: string): Promise<LoopResult> {
  try {
    return await runRaw(settings, name, { coalesced: true, route: 'topic', queueType: 'quorum' });
  } finally {
    // by name: the cluster nodes have no rabbitmqctl or management API here to list a prefix
    await deleteByPrefix(settings.url, name, rawNames(name, 'topic')).catch(() => {});
  }
}

/** The whole runtime on the cluster (broker.urls, quorum queues) with a no-op inline handler. */
async function runtimeOnCluster(prefix: string): Promise<LoopResult> {
  try {
    return await runRuntime(settings, prefix, 'quorum', { urls });
  } finally {
    await deleteByPrefix(settings.url, prefix, runtimeSide.declared(prefix, 'quorum')).catch(() => {});
  }
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
    if (side === 'raw') raw.push(await rawOnCluster(`bench-cluster-raw-${tag}-${r}`));
    else runtime.push(await runtimeOnCluster(`bench-cluster-${tag}-${r}`));
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
