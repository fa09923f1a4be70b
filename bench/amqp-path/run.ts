/**
 * The runtime's AMQP path against raw amqplib doing the same job (side.ts), each side a fresh
 * process so its peak RSS is its own, sides interleaved per round (the order rotates) so a shared
 * machine's load hits all alike. `runtime@<dir>` runs the runtime from another checkout (a commit
 * to compare against). Prints one JSON line per run and one with each side's medians and the
 * ratios against `raw`.
 *
 *   node --import tsx bench/amqp-path/run.ts [messages] [side …]      (default 20 000; raw runtime)
 *   BENCH_ROUNDS=3  BENCH_QUEUE_TYPE=quorum  BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p"
 */
import { execFileSync } from 'node:child_process';

const messages = process.argv[2] ?? '20000';
const sides = process.argv.length > 3 ? process.argv.slice(3) : ['raw', 'runtime'];
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const side = new URL('./side.ts', import.meta.url).pathname;

type Result = Record<string, number>;
const results = new Map<string, Result[]>(sides.map((s) => [s, []]));
for (let r = 0; r < rounds; r++) {
  const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
  for (const name of order) {
    const [kind, root] = name.split('@');
    const out = execFileSync(process.execPath, [...nodeArgs, '--import', 'tsx', side, kind!, messages], {
      env: { ...process.env, ...(root ? { BENCH_ROOT: root } : {}) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    });
    const line = JSON.parse(out.trim().split('\n').pop()!) as Result;
    console.log(JSON.stringify({ round: r, name, ...line }));
    results.get(name)!.push(line);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const keys = ['msgsPerSec', 'cpuUsPerMsg', 'sysUsPerMsg', 'mainUsPerMsg', 'otherUsPerMsg', 'p50Ms', 'p99Ms', 'peakRssMb', 'startRssMb', 'readyRssMb'];
const medians: Record<string, Result> = {};
for (const [name, rs] of results) medians[name] = Object.fromEntries(keys.map((k) => [k, median(rs.map((x) => x[k]!))]));
const base = medians.raw;
const ratios: Record<string, Result> = {};
if (base) {
  for (const [name, m] of Object.entries(medians)) {
    if (name === 'raw') continue;
    const q = (k: string) => Math.round((m[k]! / base[k]!) * 1000) / 1000;
    ratios[name] = { throughput: q('msgsPerSec'), cpuPerMsg: q('cpuUsPerMsg'), p99: q('p99Ms'), peakRss: q('peakRssMb') };
  }
}
console.log(JSON.stringify({ bench: 'amqp-path', messages: Number(messages), rounds, queueType: process.env.BENCH_QUEUE_TYPE ?? 'classic', medians, ratios }));
