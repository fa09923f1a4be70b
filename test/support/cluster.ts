/**
 * The three-node test cluster of `.ci/cluster.sh` (extra nodes rabbitc1..3@localhost on
 * 5681-5683): start it when it is not up, inject faults into its nodes, read queue state with
 * rabbitmqctl. Only ever touches those three nodes.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, '.ci/cluster.sh');
const BASE_PORT = Number(process.env.STOKCERDAS_CLUSTER_BASE_PORT ?? 5680);

export type NodeNumber = 1 | 2 | 3;
export const NODES: readonly NodeNumber[] = [1, 2, 3];

export const nodeName = (n: NodeNumber): string => `rabbitc${n}@localhost`;
export const nodeUrl = (n: NodeNumber): string => `amqp://guest:guest@127.0.0.1:${BASE_PORT + n}`;
/** what the transport calls a node in /readyz, /stats and metrics */
export const nodeLabel = (n: NodeNumber): string => `127.0.0.1:${BASE_PORT + n}`;
export const urlsFrom = (...order: NodeNumber[]): string[] => order.map(nodeUrl);

function run(file: string, args: string[], timeoutMs: number): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => done({ ok: !err, stdout, stderr }));
  });
}

/** `.ci/cluster.sh ARGS`; throws with its output when it fails. */
export async function cluster(...args: string[]): Promise<string> {
  const r = await run(SCRIPT, args, 240_000);
  if (!r.ok) throw new Error(`.ci/cluster.sh ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export async function clusterUp(): Promise<boolean> {
  return (await run(SCRIPT, ['status'], 60_000)).ok;
}

/** Starts the cluster unless it runs; resolves to true when this call started it (and should stop it). */
export async function ensureCluster(): Promise<boolean> {
  if (await clusterUp()) return false;
  await cluster('start');
  return true;
}

/** Brings every node back (after a kill or stop) and waits until all three run clustered. */
export async function restoreCluster(): Promise<void> {
  for (const n of NODES) {
    const r = await run('rabbitmqctl', ['-q', '-n', nodeName(n), 'status'], 60_000);
    if (!r.ok) await cluster('revive', String(n));
  }
  for (let i = 0; i < 60 && !(await clusterUp()); i++) await new Promise((r) => setTimeout(r, 1000));
}

export async function ctl(node: NodeNumber, ...args: string[]): Promise<string> {
  const r = await run('rabbitmqctl', ['-q', '-n', nodeName(node), ...args], 60_000);
  if (!r.ok) throw new Error(`rabbitmqctl -n ${nodeName(node)} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Rows of `list_queues` for the queues under `prefix`, asked of a running node. */
export async function queueRows(via: NodeNumber, prefix: string, ...columns: string[]): Promise<string[][]> {
  const out = await ctl(via, 'list_queues', 'name', ...columns);
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([name]) => name?.startsWith(prefix));
}

/** The node leading a quorum queue (`list_queues name leader`). */
export async function queueLeader(via: NodeNumber, queue: string): Promise<NodeNumber> {
  const rows = await queueRows(via, queue, 'leader');
  const leader = rows.find(([name]) => name === queue)?.[1];
  const n = NODES.find((k) => leader === nodeName(k));
  if (!n) throw new Error(`no leader of ${queue} among the test nodes (got ${leader ?? 'nothing'})`);
  return n;
}
