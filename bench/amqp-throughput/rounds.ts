/**
 * Rounds of every side, interleaved: round r runs the sides in the order rotated by r, so no side
 * always goes first or always follows the same neighbour's load on the shared broker.
 *
 * Each side runs in a child process, a fork of run.ts with `--side`, one after the other (never two
 * at once). In one shared process the sides' heaps, loaded libraries and GC debt pile up: the
 * later a side ran, the higher its peak RSS, and one side's garbage is collected on another's
 * clock. A process per side gives each its own peak RSS and CPU; the rounds still interleave the
 * sides within one run, so drift in the machine's load reaches all of them alike.
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" passes node flags to every side's process.
 * With a `runtime@<dir>` side (another checkout) the summary adds `ab`: this checkout's runtime ÷
 * that one's, per metric, and that side's own ratios against the peers.
 */
import { fork } from 'node:child_process';
import { deleteByPrefix } from '../../test/support/broker.ts';
import { round, type LoopSettings } from './measure.ts';
import type { QueueKind, SideReport } from './sides/contract.ts';
import { labelOf, type SideName, type SideSpec } from './sides/index.ts';

export interface RoundsPlan {
  script: string;
  sides: SideSpec[];
  rounds: number;
  settings: LoopSettings;
  queueType: QueueKind;
  /** every side's names start with it (a unique tag per run) */
  prefix: string;
}

type Metric = 'msgsPerSec' | 'cpuUsPerMsg' | 'sysUsPerMsg' | 'mainUsPerMsg' | 'otherUsPerMsg' | 'p50Ms' | 'p99Ms' | 'peakRssMb' | 'readyRssMb' | 'rssGrowthMb';
const metrics: Metric[] = ['msgsPerSec', 'cpuUsPerMsg', 'sysUsPerMsg', 'mainUsPerMsg', 'otherUsPerMsg', 'p50Ms', 'p99Ms', 'peakRssMb', 'readyRssMb', 'rssGrowthMb'];
/** what an A/B of two checkouts compares */
const abMetrics: Metric[] = ['msgsPerSec', 'cpuUsPerMsg', 'mainUsPerMsg', 'otherUsPerMsg', 'sysUsPerMsg', 'p99Ms', 'peakRssMb', 'readyRssMb'];
type Figures = Record<Metric, number>;

/** a comparison the performance targets name: runtime ÷ peer, met at or above `atLeast` / at or below `atMost` (neither: for information) */
interface Target {
  peer: SideName;
  metric: Metric;
  atLeast?: number;
  atMost?: number;
}
const targets: Record<QueueKind, Target[]> = {
  classic: [
    { peer: 'moleculer', metric: 'msgsPerSec', atLeast: 1 },
    { peer: 'moleculer', metric: 'cpuUsPerMsg', atMost: 1 },
    { peer: 'moleculer', metric: 'p99Ms', atMost: 1 },
    { peer: 'rascal', metric: 'msgsPerSec', atLeast: 1 },
    { peer: 'rawSameJobCoalesced', metric: 'msgsPerSec', atLeast: 1 },
    { peer: 'rawSameJobCoalesced', metric: 'cpuUsPerMsg', atMost: 1.15 },
    { peer: 'rawSameJobCoalesced', metric: 'p99Ms', atMost: 1.3 },
    { peer: 'rawSameJobCoalesced', metric: 'peakRssMb', atMost: 1.5 },
  ],
  quorum: [
    { peer: 'rawSameJobCoalesced', metric: 'msgsPerSec', atLeast: 1 },
    { peer: 'rawSameJobCoalesced', metric: 'p99Ms', atMost: 1.3 },
    { peer: 'rawSameJobCoalesced', metric: 'cpuUsPerMsg' },
    { peer: 'rawSameJobCoalesced', metric: 'peakRssMb' },
  ],
};

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2);
};

/** runtime ÷ peer for each target both sides have figures for, keyed `peer.metric`; `of`: which runtime side (a spec) */
function ratios(bySide: Record<string, Figures>, queueType: QueueKind, of = 'runtime'): Record<string, number> {
  const out: Record<string, number> = {};
  const rt = bySide[of];
  if (!rt) return out;
  for (const t of targets[queueType]) {
    const peer = bySide[t.peer];
    if (peer) out[`${t.peer}.${t.metric}`] = ratio(rt[t.metric], peer[t.metric]);
  }
  return out;
}

/** this checkout's runtime ÷ another checkout's, per metric, for each `runtime@<dir>` side */
function abRatios(bySide: Record<string, Figures>, sides: SideSpec[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const rt = bySide.runtime;
  if (!rt) return out;
  for (const { spec, root } of sides) {
    const other = bySide[spec];
    if (root && other) out[spec] = Object.fromEntries(abMetrics.map((m) => [m, ratio(rt[m], other[m])]));
  }
  return out;
}

const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

function runChild(plan: RoundsPlan, side: SideSpec, prefix: string): Promise<SideReport | { error: string }> {
  return new Promise((resolve) => {
    let report: SideReport | undefined;
    const child = fork(plan.script, ['--side', side.spec, '--prefix', prefix, String(plan.settings.messages)], {
      execArgv: [...process.execArgv, ...nodeArgs],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m) => (report = m as SideReport));
    child.on('exit', (code, signal) => resolve(report ?? { error: `exited with ${signal ?? code} before reporting` }));
  });
}

export async function runRounds(plan: RoundsPlan): Promise<void> {
  const { sides, settings, queueType } = plan;
  const runs = new Map<string, SideReport[]>(sides.map((s) => [s.spec, []]));
  try {
    for (let r = 0; r < plan.rounds; r++) {
      const order = [...sides.slice(r % sides.length), ...sides.slice(0, r % sides.length)];
      const results: Record<string, SideReport | { error: string }> = {};
      for (const side of order) {
        // a checkout's path has no place in a queue name: the other checkout's side goes by its index
        const key = side.root ? `${side.name}-at${sides.indexOf(side)}` : side.name;
        const out = await runChild(plan, side, `${plan.prefix}-${key}-${r}`);
        results[side.spec] = out;
        if (!('error' in out)) runs.get(side.spec)!.push(out);
      }
      const ok = Object.fromEntries(Object.entries(results).filter(([, v]) => !('error' in v))) as Record<string, Figures>;
      const ab = abRatios(ok, sides);
      console.log(
        JSON.stringify({ bench: 'amqp-throughput-round', round: r + 1, queueType, messages: settings.messages, order: order.map((s) => s.spec), sides: results, ratios: ratios(ok, queueType), ...(Object.keys(ab).length ? { ab } : {}) }),
      );
    }
  } finally {
    // a side whose process died skipped its own clean-up: sweep the run's prefix (rabbitmqctl)
    await deleteByPrefix(settings.url, plan.prefix).catch((err: unknown) => console.error('clean-up', err));
  }
  const medians: Record<string, Figures & { rounds: number }> = {};
  for (const [side, xs] of runs) {
    if (xs.length === 0) continue;
    const figures = Object.fromEntries(metrics.map((m) => [m, median(xs.map((x) => x[m]))])) as Figures;
    medians[side] = { ...figures, rounds: xs.length };
  }
  const final = ratios(medians, queueType);
  const others = sides.filter((s) => s.root && medians[s.spec]);
  const ab = abRatios(medians, sides);
  console.log(
    JSON.stringify({
      bench: 'amqp-throughput',
      date: new Date().toISOString().slice(0, 10),
      queueType,
      messages: settings.messages,
      rounds: plan.rounds,
      settings: { bodyBytes: settings.bodyBytes, prefetch: settings.prefetch, window: settings.window, warmup: settings.warmup },
      medians,
      ratios: final,
      ...(others.length ? { ab, ratiosOf: Object.fromEntries(others.map((s) => [s.spec, ratios(medians, queueType, s.spec)])) } : {}),
      notes: sides.some((s) => s.name === 'moleculer') ? { moleculer: 'the @moleculer/channels AMQP adapter publishes without publisher confirms' } : {},
    }),
  );
  printTable(sides, medians, final, queueType);
}

function printTable(sides: SideSpec[], medians: Record<string, Figures & { rounds: number }>, final: Record<string, number>, queueType: QueueKind): void {
  const n = (x: number, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
  const lines = [
    '',
    `medians (${queueType} queues)`,
    '| side | msgs/s | node CPU µs/msg (main + other threads; of it system) | p50 ms | p99 ms | peak RSS MB | ready RSS MB | RSS growth MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const side of sides) {
    const f = medians[side.spec];
    if (!f) continue;
    const cpu = `${n(f.cpuUsPerMsg)} (${n(f.mainUsPerMsg)} + ${n(f.otherUsPerMsg)}; ${n(f.sysUsPerMsg)})`;
    lines.push(`| ${labelOf(side)} | ${n(f.msgsPerSec, 0)} | ${cpu} | ${n(f.p50Ms, 0)} | ${n(f.p99Ms, 0)} | ${n(f.peakRssMb, 0)} | ${n(f.readyRssMb, 0)} | ${n(f.rssGrowthMb, 0)} |`);
  }
  lines.push('', '| runtime ÷ | metric | ratio | target | met |', '|---|---|---:|---|---|');
  for (const t of targets[queueType]) {
    const r = final[`${t.peer}.${t.metric}`];
    if (r === undefined) continue;
    const target = t.atLeast !== undefined ? `≥ ${t.atLeast}` : t.atMost !== undefined ? `≤ ${t.atMost}` : '—';
    const met = t.atLeast !== undefined ? r >= t.atLeast : t.atMost !== undefined ? r <= t.atMost : undefined;
    lines.push(`| ${t.peer} | ${t.metric} | ${r.toFixed(2)} | ${target} | ${met === undefined ? '—' : met ? 'yes' : 'no'} |`);
  }
  console.log(lines.join('\n'));
}
