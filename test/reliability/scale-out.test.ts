// Two host PROCESSES compete for one queue; one is SIGKILLed mid-stream. Runs alone
// (vitest.reliability.config.ts): it loads the broker for seconds and kills processes.
import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../runtime/index.ts';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../support/broker.ts';
import { startFixtureHost, type HostProcess } from '../support/host-process.ts';
import { request } from '../support/http.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/scale-out/host.ts');
const REDIS_URL = 'redis://127.0.0.1:6379';
const TOTAL = 5_000;
const VICTIM_CONCURRENCY = 8;

const prefix = uniquePrefix('scale-out');
let url: string;
let redis: Redis;
let publisher: Host;
const children: ChildProcess[] = [];

function startHostProcess(name: string): Promise<HostProcess> {
  const env = { SCALE_PREFIX: prefix, SCALE_HOST_NAME: name, SCALE_BROKER_URL: url, SCALE_REDIS_URL: REDIS_URL };
  return startFixtureHost(FIXTURE, name, env, 30_000, (child) => children.push(child));
}

beforeAll(async () => {
  url = await getBrokerUrl();
  redis = new Redis(REDIS_URL);
  publisher = createHost({ broker: { url, prefix }, http: { enabled: false } }, { plugins: [], logger: silentLogger });
  await publisher.start();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await publisher?.stop();
  if (redis) {
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  await deleteByPrefix(url, prefix);
});

describe('scale-out: two host processes on one queue (real broker, shared Redis dedupe)', () => {
  it('handles every event once although one host is SIGKILLed mid-stream', async () => {
    const [victim, survivor] = await Promise.all([startHostProcess('victim'), startHostProcess('survivor')]);

    const ids: string[] = [];
    for (let i = 0; i < TOTAL; i += 250) {
      const window = Array.from({ length: Math.min(250, TOTAL - i) }, (_, k) =>
        publisher.publish('inventory.stock.level.changed', {
          productData: { id: `SKU-${i + k}` },
          locationData: { id: 'WH-1' },
          stockMovement: { type: 'sale', quantity: -5 },
          stockLevel: { previous: 10, current: 5 },
        }),
      );
      for (const e of await Promise.all(window)) ids.push(e.id);
    }

    // mid-stream: both have been working, most of the stream is still to come
    const byHost = async () => (await redis.hgetall(`${prefix}:by-host`)) as Record<string, string>;
    await waitFor(async () => Number((await byHost()).victim ?? 0) >= 800, 60_000, 'victim handled 800');
    victim.child.kill('SIGKILL');
    const victimExit = await victim.exited;
    expect(victimExit.signal).toBe('SIGKILL');
    const handledAtKill = Object.values(await byHost()).reduce((n, v) => n + Number(v), 0);
    expect(handledAtKill).toBeLessThan(TOTAL);

    await waitFor(async () => (await redis.hlen(`${prefix}:runs`)) === TOTAL, 90_000, 'every event handled');
    // let redeliveries that are still arriving settle before counting
    await waitFor(async () => (await publisher.transport.queueInfo(`${prefix}.scale.work`)).messages === 0, 30_000, 'work queue empty');
    await new Promise((r) => setTimeout(r, 500));

    const runs = await redis.hgetall(`${prefix}:runs`);
    expect(new Set(Object.keys(runs))).toEqual(new Set(ids));
    const repeated = Object.entries(runs).filter(([, n]) => Number(n) > 1);
    const stats = (await request(survivor.port, 'GET', '/stats')).json<{ subscriptions: Array<{ deduplicated: number; consumed: number }> }>();
    const suppressed = stats.subscriptions[0]!.deduplicated;
    console.log(
      `scale-out: ${TOTAL} events, victim killed after ${(await byHost()).victim} runs (${handledAtKill} in all), ` +
        `survivor suppressed ${suppressed} redelivered duplicates, ${repeated.length} ran twice`,
    );
    // The only run that can repeat is one whose handler finished on the victim but whose dedupe
    // entry was not yet written when it died: at most its concurrency. Every redelivery of a
    // remembered event was skipped by the survivor through the shared Redis store.
    expect(repeated.length).toBeLessThanOrEqual(VICTIM_CONCURRENCY);
    expect(repeated.every(([, n]) => Number(n) === 2)).toBe(true);

    // and deterministically: the victim's events sent again with the same ids are all skipped by the survivor
    const handledBy = await redis.hgetall(`${prefix}:handled-by`);
    const victims = Object.entries(handledBy).filter(([, h]) => h === 'victim').map(([id]) => id).slice(0, 100);
    expect(victims).toHaveLength(100);
    await Promise.all(
      victims.map((id) => publisher.publish('inventory.stock.level.changed', { productData: { id: 'again' }, locationData: { id: 'WH-1' }, stockMovement: { type: 'sale', quantity: -1 }, stockLevel: { previous: 1, current: 0 } }, { id })),
    );
    await waitFor(
      async () => (await request(survivor.port, 'GET', '/stats')).json<{ subscriptions: Array<{ deduplicated: number }> }>().subscriptions[0]!.deduplicated === suppressed + 100,
      30_000,
      'the 100 repeats skipped',
    );
    const after = await redis.hgetall(`${prefix}:runs`);
    for (const id of victims) expect(after[id]).toBe(runs[id]);

    survivor.child.kill('SIGTERM');
    expect((await survivor.exited).code).toBe(0);
  });
});
