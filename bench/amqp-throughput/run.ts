/**
 * The AMQP throughput benchmark: the runtime against the clients a user would pick instead, each
 * configured for the same job — a durable queue with a dead-letter exchange, persistent ~1 KiB JSON
 * CloudEvents, prefetch 200, a publish window of 1000, one process publishing and consuming,
 * latency from publish to handler. Sides (sides/index.ts): the runtime; raw amqplib doing the same
 * job with coalesced acks (the like-for-like client) and with an ack per message; Moleculer with
 * @moleculer/channels' AMQP adapter; Rascal; raw amqplib sending one prebuilt buffer (information).
 * Rounds interleave the sides (rounds.ts); prints one JSON line per round, then one with the
 * medians and the runtime's ratios, then the table.
 *
 *   node --import tsx bench/amqp-throughput/run.ts [messages]     (default 20 000 a side and round)
 *   BENCH_ROUNDS=3                       rounds (default 3)
 *   BENCH_SIDES=runtime,moleculer        which sides, in round 1's order (default: see sides/index.ts)
 *   BENCH_SIDES=rawSameJobCoalesced,runtime@../before,runtime    A/B: the runtime of another checkout too
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p"          node flags for every side's process
 *   BENCH_QUEUE=quorum                   quorum queues: the runtime and the like-for-like client
 *   BENCH_WARMUP=5000                    untimed messages first, each side (0: cold)
 *   RABBITMQ_URL=amqp://…                (default the local broker)
 *   node --cpu-prof --import tsx bench/amqp-throughput/run.ts --side runtime    one side in this process
 *   BENCH_PROFILE=/tmp/rt.cpuprofile … --side runtime@../before                the timed loop alone
 *   BENCH_SOAK=1 node --import tsx bench/amqp-throughput/run.ts                 1 000 000 through the runtime, RSS sampled
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LoopSettings } from './measure.ts';
import { runRounds } from './rounds.ts';
import { reportAndExit, runSideHere } from './side-process.ts';
import type { QueueKind } from './sides/contract.ts';
import { defaultSides, parseSide, type SideSpec } from './sides/index.ts';

const { values, positionals } = parseArgs({ options: { side: { type: 'string' }, prefix: { type: 'string' } }, allowPositionals: true });
const soak = process.env.BENCH_SOAK === '1';
const messages = Number(positionals[0] ?? process.env.BENCH_MESSAGES ?? (soak ? 1_000_000 : 20_000));
const queueType: QueueKind = process.env.BENCH_QUEUE === 'quorum' ? 'quorum' : 'classic';
const settings: LoopSettings = {
  url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  messages,
  prefetch: 200,
  window: 1000,
  bodyBytes: 1024,
  warmup: Number(process.env.BENCH_WARMUP ?? 5_000),
};
// every name a run declares starts with it, so its clean-up cannot touch anything else
const tag = `bench-amqp-${randomBytes(3).toString('hex')}`;

function sideSpecs(list: string): SideSpec[] {
  return list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(parseSide);
}

// BENCH_ONLY=runtime: the name this benchmark's single-side runs had before `--side`
const only = values.side ?? process.env.BENCH_ONLY;
try {
  if (soak) {
    // loaded here only: a side's process must not hold the runtime unless it is the runtime's
    const { runSoak } = await import('./soak.ts');
    await runSoak(settings, `${tag}-soak`);
  } else if (only !== undefined) {
    const side = parseSide(only);
    const report = await runSideHere(side, settings, queueType, values.prefix ?? `${tag}-${side.name}`);
    await reportAndExit(report, { bench: 'amqp-throughput-side', side: side.spec, queueType, messages });
  } else {
    const sides = sideSpecs(process.env.BENCH_SIDES ?? defaultSides[queueType].join(','));
    const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
    await runRounds({ script: fileURLToPath(import.meta.url), sides, rounds, settings, queueType, prefix: tag });
  }
} catch (err) {
  console.error(err);
  process.exit(1);
}
process.exit(0);
