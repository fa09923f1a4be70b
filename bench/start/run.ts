/**
 * Start-up, compiled (dist/, `npm run build`) against tsx (the TypeScript sources compiled on the fly):
 *   (a) `stokcerdas start` from spawn to its "ready" line, the bundled plugins on the memory
 *       transport with HTTP on: wall ms, and the CPU ms the process (all its threads) used by then;
 *   (b) a new piscina worker thread: until it answers its first task (ready to take work), and until
 *       it has imported ml-forecasting's module (the bundled worker-mode plugin) as well.
 * Sides alternate within each round, the order flipping every round. One JSON line per round, then
 * the medians and the tsx/compiled ratios. BEFORE=<a checkout of an earlier commit, its node_modules
 * linked> adds that checkout's `node --import tsx runtime/cli.ts start` as a third start side.
 *
 *   npm run build && npm run bench:start      (ROUNDS=5 by default; SAMPLES=3 thread samples per side)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SAMPLES = Number(process.env.SAMPLES ?? 3);
const TICK_MS = 10; // /proc/<pid>/stat counts CPU in clock ticks of 1/100 s on Linux

type Side = 'compiled' | 'tsx';
type StartSide = Side | 'before';
const BEFORE = process.env.BEFORE ? resolve(process.env.BEFORE) : undefined;
const START: Record<StartSide, { args: string[]; cwd: string }> = {
  compiled: { args: [join(ROOT, 'bin/stokcerdas.mjs'), 'start'], cwd: ROOT },
  tsx: { args: ['--import', 'tsx', join(ROOT, 'runtime/cli.ts'), 'start'], cwd: ROOT },
  before: { args: ['--import', 'tsx', join(BEFORE ?? ROOT, 'runtime/cli.ts'), 'start'], cwd: BEFORE ?? ROOT },
};
const THREAD: Record<Side, { filename: string; plugin: string }> = {
  compiled: { filename: join(ROOT, 'dist/runtime/workers/worker.js'), plugin: join(ROOT, 'dist/plugins/ml-forecasting/index.js') },
  tsx: { filename: join(ROOT, 'runtime/workers/bootstrap.mjs'), plugin: join(ROOT, 'plugins/ml-forecasting/index.ts') },
};

const freePort = () =>
  new Promise<number>((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

/** utime + stime of a live process, all threads, in ms */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

interface StartSample {
  wallMs: number;
  cpuMs: number;
}

async function startToReady(side: StartSide): Promise<StartSample> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(RABBITMQ_|EVENT_BUS_|STOKCERDAS_)/.test(key)) delete env[key];
  env.STOKCERDAS_HTTP_PORT = String(await freePort());
  const started = performance.now();
  const child = spawn(process.execPath, START[side].args, { cwd: START[side].cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const sample = await new Promise<StartSample>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${side}: no ready line within 60 s\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d;
      if (side === 'compiled' && output.includes('through tsx')) fail(new Error(`the compiled side fell back to tsx (run \`npm run build\`):\n${output}`));
      if (!output.includes('"msg":"ready')) return;
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      done({ wallMs: Math.round(wallMs), cpuMs: cpuMsOf(child.pid!) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${side}: exited ${code} before ready\n${output}`)));
  }).finally(() => child.kill('SIGTERM'));
  const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(force);
  return sample;
}

interface ThreadSample {
  readyMs: number;
  pluginMs: number;
}

function threadSample(side: Side): Promise<ThreadSample> {
  const { filename, plugin } = THREAD[side];
  const args = [join(ROOT, 'bench/start/thread-probe.mjs'), filename, pathToFileURL(plugin).href, 'ml-forecasting', 'forecast'];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? done(JSON.parse(out) as ThreadSample) : fail(new Error(`thread probe (${side}) exited ${code}`))));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

interface Round {
  round: number;
  start: Record<StartSide, StartSample>;
  thread: Record<Side, ThreadSample>;
}

async function main(): Promise<void> {
  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const order: Side[] = r % 2 ? ['compiled', 'tsx'] : ['tsx', 'compiled'];
    const start = {} as Record<StartSide, StartSample>;
    const starts: StartSide[] = BEFORE ? (r % 2 ? [...order, 'before'] : ['before', ...order]) : order;
    for (const side of starts) start[side] = await startToReady(side);
    const samples: Record<Side, ThreadSample[]> = { compiled: [], tsx: [] };
    for (let i = 0; i < SAMPLES; i++) for (const side of order) samples[side].push(await threadSample(side));
    const thread = {} as Record<Side, ThreadSample>;
    for (const side of order) {
      thread[side] = { readyMs: median(samples[side].map((s) => s.readyMs)), pluginMs: median(samples[side].map((s) => s.pluginMs)) };
    }
    const row: Round = { round: r, start, thread };
    rounds.push(row);
    console.log(JSON.stringify(row));
  }
  const med = (pick: (r: Round) => number) => median(rounds.map(pick));
  const summary = {
    rounds: rounds.length,
    node: process.version,
    medians: {
      startWallMs: { compiled: med((r) => r.start.compiled.wallMs), tsx: med((r) => r.start.tsx.wallMs), ...(BEFORE ? { before: med((r) => r.start.before.wallMs) } : {}) },
      startCpuMs: { compiled: med((r) => r.start.compiled.cpuMs), tsx: med((r) => r.start.tsx.cpuMs), ...(BEFORE ? { before: med((r) => r.start.before.cpuMs) } : {}) },
      threadReadyMs: { compiled: med((r) => r.thread.compiled.readyMs), tsx: med((r) => r.thread.tsx.readyMs) },
      threadPluginMs: { compiled: med((r) => r.thread.compiled.pluginMs), tsx: med((r) => r.thread.tsx.pluginMs) },
    },
    // tsx ÷ compiled, per round, then the median: how many times faster the compiled start is
    ratios: {
      startWall: round1(med((r) => r.start.tsx.wallMs / r.start.compiled.wallMs)),
      startCpu: round1(med((r) => r.start.tsx.cpuMs / Math.max(TICK_MS, r.start.compiled.cpuMs))),
      threadReady: round1(med((r) => r.thread.tsx.readyMs / r.thread.compiled.readyMs)),
      threadPlugin: round1(med((r) => r.thread.tsx.pluginMs / r.thread.compiled.pluginMs)),
      ...(BEFORE ? { startWallBefore: round1(med((r) => r.start.before.wallMs / r.start.compiled.wallMs)) } : {}),
    },
    targets: {
      startToReadyMs: 1_000,
      threadReadyMs: 150,
    },
  };
  console.log(JSON.stringify(summary));
}

await main();
