/**
 * Raw amqplib and the full runtime (host → CloudEvent → confirm channel → broker →
 * decode, schema, enrich, dedupe, timeout → no-op handler → coalesced ack) in one process run, same
 * settings: persistent ~1 KiB JSON, prefetch 200, publish window 1000. Prints ONE JSON line with
 * msgs/s, p50/p99 publish-to-handle latency, node CPU µs per message, peak RSS and the ratios.
 * Four raw sides: the baseline (default exchange, an ack per message), the same with
 * coalesced acks, and `rawSameRoute` — raw amqplib asking the broker for what the runtime asks
 * (topic exchange, dead-letter queue, the CloudEvents message properties, coalesced acks) — whose ratios
 * (`ratiosVsSameRoute`) isolate the runtime's node-side cost from the broker's; and
 * `rawSameRouteJson`, the same plus a JSON CloudEvent serialised and parsed per message, the least
 * any client of this wire format does.
 *
 *   node --import tsx bench/amqp-throughput/run.ts [messages]        (default 50 000)
 *   BENCH_SOAK=1 node --import tsx bench/amqp-throughput/run.ts      (1 000 000 through the runtime, RSS sampled)
 *   RABBITMQ_URL=amqp://…                                            (default the local broker)
 *   BENCH_WARMUP=5000                                                (untimed messages first, each side; 0: cold)
 */
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import amqp from 'amqplib';
import { createHost, definePlugin } from 'stokcerdas';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { deleteByPrefix } from '../../test/support/broker.ts';
import { measureWarm, runRaw, sendWindowed, stockPayload as payload, type LoopResult, type LoopSettings } from './raw.ts';

const url = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const soak = process.env.BENCH_SOAK === '1';
const messages = Number(process.argv[2] ?? process.env.BENCH_MESSAGES ?? (soak ? 1_000_000 : 50_000));
const settings: LoopSettings = { url, messages, prefetch: 200, window: 1000, bodyBytes: 1024, warmup: Number(process.env.BENCH_WARMUP ?? 5_000) };


/** The whole runtime with a no-op inline handler; `onRss` sees RSS every 10 000 messages (soak). */
async function runRuntime(s: LoopSettings, prefix: string, onRss?: (handled: number, rssMb: number) => void): Promise<LoopResult & { bodyBytes: number }> {
  let handledCallback: (i: number) => void = () => {};
  let count = 0;
  let bodyBytes = 0;
  const plugin = definePlugin({
    name: 'bench',
    version: '1.0.0',
    handlers: {
      noop: {
        subscribe: { routingKeys: ['inventory.stock.level.changed'] },
        handle(event) {
          handledCallback(Number(event.data.stockMovement.referenceId));
          if (onRss && ++count % 10_000 === 0) {
            // at each 100 000 a full collection first: the reading is then what is live, not where the saw-tooth happens to be
            if (count % 100_000 === 0) fullGc();
            onRss(count, process.memoryUsage.rss() / 2 ** 20);
          }
        },
      },
    },
  });
  const host = createHost(
    { broker: { url, prefix, prefetch: s.prefetch, concurrency: Number(process.env.BENCH_CONCURRENCY ?? s.prefetch) }, http: { enabled: false }, retry: { maxAttempts: 1 } },
    { plugins: [plugin], logger: silentLogger },
  );
  await host.start();
  try {
    const result = await measureWarm(s, async (sentAt, handled) => {
      handledCallback = handled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        host.publish('inventory.stock.level.changed', payload(i), { tenantId: 't1' }).then(
          (e) => {
            if (i === 0) bodyBytes = Buffer.byteLength(JSON.stringify(e).replace(/,"context":\{.*\}\}$/, '}'));
            confirmed();
          },
          (err) => {
            console.error(err);
            process.exit(1);
          },
        );
      });
    });
    return { ...result, bodyBytes };
  } finally {
    await host.stop();
  }
}

/** the raw queues by name, and everything the runtime declared under its prefix */
async function cleanup(prefix: string, queues: string[]) {
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
  await conn.close();
  await deleteByPrefix(url, prefix);
}

const tag = randomBytes(3).toString('hex');

/** a full collection on demand, without starting node with --expose-gc (soak readings only) */
let collect: (() => void) | undefined;
function fullGc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
if (soak) {
  const samples: { handled: number; rssMb: number }[] = [];
  const prefix = `bench-soak-${tag}`;
  const r = await runRuntime(settings, prefix, (handled, rssMb) => samples.push({ handled, rssMb: Math.round(rssMb) }));
  // RSS follows the heap's saw-tooth (it grows to the next major GC, then gives memory back): a
  // plain reading at 100 000 and one at the end differed by 40 % in one run and 0.5 % in the next,
  // with nothing growing. The readings at each 100 000 follow a full collection; the highest of
  // each block's ten readings is printed beside them.
  const at = (handled: number) => samples.find((x) => x.handled === handled)?.rssMb ?? Number.NaN;
  const blockPeaks: number[] = [];
  for (const x of samples) {
    const block = Math.ceil(x.handled / 100_000) - 1;
    blockPeaks[block] = Math.max(blockPeaks[block] ?? 0, x.rssMb);
  }
  console.log(
    JSON.stringify({
      bench: 'amqp-soak',
      date: new Date().toISOString().slice(0, 10),
      messages,
      runtime: r,
      rssAt100kMb: at(100_000),
      rssAtEndMb: at(messages),
      blockPeakRssMb: blockPeaks,
      rssGrowth: ratio(at(messages), at(100_000)),
      peakGrowth: ratio(blockPeaks[blockPeaks.length - 1]!, blockPeaks[0]!),
      samples: samples.map((x) => x.rssMb),
    }),
  );
  await cleanup(prefix, [`${prefix}.bench.noop`]);
} else if (process.env.BENCH_ONLY === 'runtime') {
  const prefix = `bench-rt-${tag}`;
  console.log(JSON.stringify({ bench: 'amqp-throughput-runtime-only', messages, runtime: await runRuntime(settings, prefix) }));
  await cleanup(prefix, [`${prefix}.bench.noop`]);
} else {
  const rawQueue = `bench-raw-${tag}`;
  const raw = await runRaw(settings, rawQueue);
  const rawCoalesced = await runRaw(settings, `${rawQueue}-c`, { coalesced: true });
  // the same broker work as the runtime (topic exchange, dead-letter queue, the CloudEvents message properties, coalesced acks)
  const rawSameRoute = await runRaw(settings, `${rawQueue}-t`, { coalesced: true, route: 'topic' });
  // and the same, with a JSON CloudEvent built, serialised and parsed per message: the floor for any JSON client
  const rawSameRouteJson = await runRaw(settings, `${rawQueue}-j`, { coalesced: true, route: 'topic', json: true });
  const prefix = `bench-rt-${tag}`;
  const runtime = await runRuntime(settings, prefix);
  console.log(
    JSON.stringify({
      bench: 'amqp-throughput',
      date: new Date().toISOString().slice(0, 10),
      messages,
      raw,
      rawCoalescedAcks: rawCoalesced,
      rawSameRoute,
      rawSameRouteJson,
      runtime,
      ratios: {
        throughput: ratio(runtime.msgsPerSec, raw.msgsPerSec),
        cpuPerMsg: ratio(runtime.cpuUsPerMsg, raw.cpuUsPerMsg),
        p99: ratio(runtime.p99Ms, raw.p99Ms),
        peakRss: ratio(runtime.peakRssMb, raw.peakRssMb),
        throughputVsCoalescedRaw: ratio(runtime.msgsPerSec, rawCoalesced.msgsPerSec),
      },
      ratiosVsSameRoute: {
        throughput: ratio(runtime.msgsPerSec, rawSameRoute.msgsPerSec),
        cpuPerMsg: ratio(runtime.cpuUsPerMsg, rawSameRoute.cpuUsPerMsg),
        p99: ratio(runtime.p99Ms, rawSameRoute.p99Ms),
      },
      ratiosVsSameRouteJson: {
        throughput: ratio(runtime.msgsPerSec, rawSameRouteJson.msgsPerSec),
        cpuPerMsg: ratio(runtime.cpuUsPerMsg, rawSameRouteJson.cpuUsPerMsg),
        p99: ratio(runtime.p99Ms, rawSameRouteJson.p99Ms),
      },
    }),
  );
  await cleanup(prefix, [rawQueue, `${rawQueue}-c`, `${rawQueue}-t`, `${rawQueue}-j`]);
}
process.exit(0);
