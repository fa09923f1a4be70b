// Fault tests on a three-node RabbitMQ cluster (.ci/cluster.sh: extra nodes rabbitc1..3 on
// 5681-5683, started here when not already up and stopped again after). Each scenario streams
// 20,000 events through host processes on quorum queues, breaks a node mid-stream, and checks that
// every event was handled, that redeliveries were skipped by the shared Redis dedupe store, and
// that nothing is left ready or unacked. The cluster is restored after each scenario.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, type Host } from '../../runtime/index.ts';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { deleteByPrefix, uniquePrefix, waitFor } from '../support/broker.ts';
import { cluster, ctl, ensureCluster, nodeLabel, nodeUrl, queueLeader, queueRows, restoreCluster, urlsFrom, type NodeNumber } from '../support/cluster.ts';
import { deduplicated, readyz, Sampler, sleep, startHostProcess, stream, type HostProcess } from '../support/cluster-run.ts';
import { request } from '../support/http.ts';

const TOTAL = Number(process.env.CLUSTER_FAULT_EVENTS ?? 20_000);
const REDIS_URL = 'redis://127.0.0.1:6379';
/** the fixture's handler concurrency: at most this many runs can repeat per host per connection loss */
const CONCURRENCY = 32;
const SCENARIO_TIMEOUT = 420_000;

let startedHere = false;
let redis: Redis;
const report: string[] = [];

beforeAll(async () => {
  startedHere = await ensureCluster();
  redis = new Redis(REDIS_URL);
}, 300_000);

afterAll(async () => {
  redis?.disconnect();
  if (startedHere) await cluster('stop');
  if (report.length > 0) console.log(`cluster fault summary (${TOTAL} events each):\n${report.map((l) => `  ${l}`).join('\n')}`);
}, 120_000);


interface Run {
  prefix: string;
  hosts: HostProcess[];
  publisher: Host;
  sampler: Sampler;
  /** distinct events handled so far */
  handled(): Promise<number>;
}

interface Outcome {
  /** when the fault was injected (for the stall measure) */
  faultAt: number;
  /** hosts whose /stats count the suppressed redeliveries (the ones alive at the end) */
  survivors: HostProcess[];
  /** connection losses the hosts went through (bounds the handler runs that may repeat) */
  connectionLosses: number;
  notes: string[];
}

const counterTopology = definePlugin({
  name: 'counter',
  version: '1.0.0',
  handlers: { count: { subscribe: { routingKeys: ['inventory.stock.level.changed'], queue: 'cluster.work' }, handle() {} } },
});

async function scenario(
  name: string,
  setup: { hosts: NodeNumber[][]; publisher: NodeNumber[]; perSecond?: number; declareOn?: NodeNumber },
  fault: (run: Run) => Promise<Outcome>,
): Promise<void> {
  const prefix = uniquePrefix(`cluster-${name}`);
  const hosts: HostProcess[] = [];
  let publisher: Host | undefined;
  const sampler = new Sampler(redis, `${prefix}:runs`, TOTAL);
  try {
    if (setup.declareOn) {
      // declared by a client on that node, so the queue's leader lands there
      const declarer = createHost({ broker: { url: nodeUrl(setup.declareOn), prefix, queueType: 'quorum' }, http: { enabled: false } }, { plugins: [counterTopology], logger: silentLogger });
      await declarer.start();
      await declarer.stop();
    }
    publisher = createHost(
      { broker: { urls: urlsFrom(...setup.publisher), prefix, queueType: 'quorum', reconnect: { initialDelayMs: 200, maxDelayMs: 2_000 } }, http: { enabled: false } },
      { plugins: [], logger: silentLogger },
    );
    await publisher.start();
    hosts.push(...(await Promise.all(setup.hosts.map((urls, i) => startHostProcess(`h${i + 1}`, { prefix, urls: urlsFrom(...urls), redisUrl: REDIS_URL })))));
    for (const [i, h] of hosts.entries()) expect((await readyz(h)).node).toBe(nodeLabel(setup.hosts[i]![0]!));

    sampler.start();
    const started = Date.now();
    const streaming = stream(publisher, TOTAL, setup.perSecond);
    const outcome = await fault({ prefix, hosts, publisher, sampler, handled: () => redis.hlen(`${prefix}:runs`) });
    const ids = await streaming;
    await waitFor(async () => (await redis.hlen(`${prefix}:runs`)) === TOTAL, 240_000, 'every event handled');
    const doneAt = sampler.doneAt ?? Date.now();

    // nothing ready, nothing unacked, nothing dead-lettered, in any queue of the scenario
    const live = await liveNode();
    await waitFor(async () => (await queueRows(live, prefix, 'messages', 'messages_unacknowledged')).every(([, m, u]) => m === '0' && u === '0'), 60_000, 'every queue empty and acked');
    const rows = await queueRows(live, prefix, 'messages', 'messages_unacknowledged');
    expect(rows.map(([q]) => q)).toContain(`${prefix}.cluster.work`);
    expect(rows.map(([q]) => q)).toContain(`${prefix}.cluster.work.dlq`);

    const runs = await redis.hgetall(`${prefix}:runs`);
    expect(new Set(Object.keys(runs))).toEqual(new Set(ids));
    const repeated = Object.values(runs).filter((n) => Number(n) > 1).length;
    let suppressed = 0;
    for (const h of outcome.survivors) suppressed += await deduplicated(h);
    const stall = sampler.stallAfter(outcome.faultAt, doneAt);
    const line =
      `${name}: ${TOTAL} handled in ${((doneAt - started) / 1000).toFixed(1)} s, longest stall after the fault ${stall} ms, ` +
      `redeliveries skipped by dedupe ${suppressed}, handler runs repeated ${repeated}${outcome.notes.length ? `; ${outcome.notes.join('; ')}` : ''}`;
    console.log(line);
    report.push(line);
    // a run repeats only when its redelivery arrived while the first run was still going (the
    // dedupe entry is written when a run succeeds): at most the handler concurrency per loss
    expect(repeated).toBeLessThanOrEqual(CONCURRENCY * Math.max(1, outcome.connectionLosses));
  } finally {
    sampler.stop();
    for (const h of hosts) if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGTERM');
    await Promise.all(hosts.map((h) => Promise.race([h.exited, sleep(15_000)])));
    for (const h of hosts) if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
    await publisher?.stop().catch(() => {});
    await restoreCluster();
    await cleanUp(prefix);
  }
}

async function liveNode(): Promise<NodeNumber> {
  for (const n of [1, 2, 3] as const) {
    try {
      await ctl(n, 'status');
      return n;
    } catch {
      // down: ask the next
    }
  }
  throw new Error('no test node runs');
}

async function cleanUp(prefix: string): Promise<void> {
  const keys = await redis.keys(`*${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  const live = await liveNode();
  const queues = (await queueRows(live, prefix)).map(([q]) => q!);
  const exchanges = (await ctl(live, 'list_exchanges', 'name')).split('\n').map((l) => l.trim()).filter((l) => l.startsWith(prefix));
  await deleteByPrefix(nodeUrl(live), prefix, { queues, exchanges });
}

/** SIGKILL of the node's Erlang VM, sent from here so the moment is exact; resolves to it. */
async function killNode(n: NodeNumber): Promise<number> {
  const pid = Number((await cluster('pid', String(n))).trim());
  expect(pid).toBeGreaterThan(1);
  const at = Date.now();
  process.kill(pid, 'SIGKILL');
  return at;
}

async function waitHandled(run: Run, fraction: number): Promise<void> {
  await waitFor(async () => (await run.handled()) >= TOTAL * fraction, 120_000, `${fraction * 100} % handled`);
}

async function whenOn(h: HostProcess, node: NodeNumber, since: number): Promise<number> {
  await waitFor(async () => {
    const r = await readyz(h).catch(() => undefined);
    return r?.ready === true && r.node === nodeLabel(node);
  }, 120_000, `${h.name} ready on node ${node}`);
  return Date.now() - since;
}

describe('three-node cluster, quorum queues: faults mid-stream lose nothing', () => {
  it('kill -9 of the node the host is connected to', async () => {
    await scenario('kill-connected-node', { hosts: [[1, 2, 3]], publisher: [3, 1, 2] }, async (run) => {
      const [host] = run.hosts as [HostProcess];
      await waitHandled(run, 0.3);
      const faultAt = await killNode(1);
      const failoverMs = await whenOn(host, 2, faultAt);
      const ready = await readyz(host);
      expect(ready.failovers).toBe(1);
      const metrics = (await request(host.port, 'GET', '/metrics')).text;
      expect(metrics).toMatch(/^stokcerdas_broker_failovers_total 1$/m);
      expect(metrics).toContain(`stokcerdas_broker_node{node="${nodeLabel(2)}"} 1`);
      return { faultAt, survivors: [host], connectionLosses: 1, notes: [`ready on node 2 after ${failoverMs} ms`] };
    });
  }, SCENARIO_TIMEOUT);

  it("stopping the node that leads the handler's quorum queue", async () => {
    await scenario('stop-queue-leader', { hosts: [[2, 3, 1]], publisher: [3, 2, 1], declareOn: 1 }, async (run) => {
      const [host] = run.hosts as [HostProcess];
      const queue = `${run.prefix}.cluster.work`;
      expect(await queueLeader(2, queue)).toBe(1);
      await waitHandled(run, 0.3);
      const faultAt = Date.now();
      await cluster('stop-node', '1');
      let leader: NodeNumber | undefined;
      await waitFor(async () => {
        leader = await queueLeader(2, queue).catch(() => undefined);
        return leader !== undefined && leader !== 1;
      }, 60_000, 'a new leader');
      const electedMs = Date.now() - faultAt;
      // the host's own node stayed up: no fail-over needed
      const ready = await readyz(host);
      expect(ready).toMatchObject({ ready: true, node: nodeLabel(2), failovers: 0 });
      return { faultAt, survivors: [host], connectionLosses: 1, notes: [`new leader node ${leader} seen ${electedMs} ms after the stop command`] };
    });
  }, SCENARIO_TIMEOUT);

  it('rolling stop_app / start_app of every node', async () => {
    await scenario('rolling-restart', { hosts: [[1, 2, 3]], publisher: [3, 1, 2], perSecond: 500 }, async (run) => {
      const [host] = run.hosts as [HostProcess];
      await waitHandled(run, 0.1);
      const faultAt = Date.now();
      const notes: string[] = [];
      for (const n of [1, 2, 3] as const) {
        const t = Date.now();
        await cluster('stop-app', String(n));
        await sleep(2_000);
        await cluster('start-app', String(n));
        notes.push(`node ${n} back after ${Date.now() - t} ms`);
        await sleep(2_000);
      }
      const ready = await readyz(host);
      expect(ready.ready).toBe(true);
      notes.push(`host moved ${ready.failovers} times, ended on ${ready.node}`);
      expect(ready.failovers).toBeGreaterThanOrEqual(1);
      return { faultAt, survivors: [host], connectionLosses: 3, notes };
    });
  }, SCENARIO_TIMEOUT);

  it('two hosts on different nodes: one SIGKILLed, the other one\'s node killed later', async () => {
    await scenario('two-hosts', { hosts: [[1, 2, 3], [2, 3, 1]], publisher: [3, 1, 2] }, async (run) => {
      const [victim, survivor] = run.hosts as [HostProcess, HostProcess];
      await waitHandled(run, 0.25);
      const faultAt = Date.now();
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      await waitHandled(run, 0.6);
      const nodeKilledAt = await killNode(2);
      const failoverMs = await whenOn(survivor, 3, nodeKilledAt);
      return {
        faultAt,
        survivors: [survivor],
        connectionLosses: 2,
        notes: [`survivor ready on node 3 ${failoverMs} ms after its node was killed`],
      };
    });
  }, SCENARIO_TIMEOUT);
});
