// Broker faults at the level of the whole host (the transport-level twins are in
// amqp-transport-faults.test.ts): broker connections cut, broker restarted, host process killed,
// garbage mixed into valid traffic. Runs alone (vitest.reliability.config.ts): it cuts every
// connection on the broker.
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, type Host } from 'stokcerdas';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, rabbitmqctl, uniquePrefix, waitFor } from '../support/broker.ts';
import { startFixtureHost } from '../support/host-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const REDIS_URL = 'redis://127.0.0.1:6379';
let url: string;
const prefixes: string[] = [];
beforeAll(async () => {
  url = await getBrokerUrl();
});
afterAll(async () => {
  for (const p of prefixes) await deleteByPrefix(url, p);
});

const stock = (i: number) => ({
  productData: { id: `SKU-${i}` },
  locationData: { id: 'WH' },
  stockMovement: { type: 'sale' as const, quantity: -1 },
  stockLevel: { previous: 10, current: 9 },
  tenantId: 't1',
});

/** A host whose handler counts runs per event id; publishes `total` events through it with a window. */
async function countingHost(prefix: string) {
  const runs = new Map<string, number>();
  const plugin = definePlugin({
    name: 'count',
    version: '1.0.0',
    handlers: {
      h: {
        subscribe: { routingKeys: ['inventory.stock.level.changed'] },
        handle(event) {
          runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
        },
      },
    },
  });
  const host = createHost({ broker: { url, prefix, reconnect: { initialDelayMs: 200, maxDelayMs: 2000 } }, http: { enabled: false } }, { plugins: [plugin], logger: silentLogger });
  await host.start();
  return { host, runs };
}

async function publishAll(host: Host, total: number, ids: string[], during?: { at: number; fault: () => Promise<unknown> }) {
  let open = 0;
  let fault: Promise<unknown> | undefined;
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    if (during && i === during.at) fault = during.fault();
    while (open >= 500) await new Promise((r) => setTimeout(r, 1));
    open++;
    pending.push(
      host.publish('inventory.stock.level.changed', stock(i)).then((e) => {
        ids.push(e.id);
        open--;
      }),
    );
  }
  await Promise.all(pending);
  await fault;
}

describe('the host under broker faults (real broker, runs alone)', () => {
  it.each([
    ['every connection closed', () => rabbitmqctl('close_all_connections', 'host-fault-test')],
    ['the broker app restarted', async () => {
      await rabbitmqctl('stop_app');
      await rabbitmqctl('start_app');
    }],
  ])('delivers all 20,000 events exactly once to the handler when %s mid-stream', async (_name, fault) => {
    const prefix = uniquePrefix('host-fault');
    prefixes.push(prefix);
    const { host, runs } = await countingHost(prefix);
    const ids: string[] = [];
    try {
      await publishAll(host, 20_000, ids, { at: 6_000, fault });
      await waitFor(() => runs.size === 20_000, 120_000, 'every event handled');
      expect(new Set(ids).size).toBe(20_000);
      const twice = [...runs.values()].filter((n) => n > 1).length;
      // redeliveries of the unacked window are suppressed by the dedupe store: no handler runs twice
      expect(twice).toBe(0);
      const suppressed = host.stats().subscriptions[0]!.deduplicated;
      console.log(`${_name}: 20000 events, ${suppressed} redelivered duplicates suppressed, ${host.transport.status().reconnects} reconnects`);
    } finally {
      await host.stop();
    }
  }, 180_000);

  it('loses nothing when the host process is SIGKILLed mid-stream and started again', async () => {
    const prefix = uniquePrefix('host-kill');
    prefixes.push(prefix);
    const redis = new Redis(REDIS_URL);
    const start = (name: string) =>
      startFixtureHost(join(ROOT, 'test/fixtures/scale-out/host.ts'), name, { SCALE_PREFIX: prefix, SCALE_HOST_NAME: name, SCALE_BROKER_URL: url, SCALE_REDIS_URL: REDIS_URL }, 30_000);
    const publisher = createHost({ broker: { url, prefix }, http: { enabled: false } }, { plugins: [], logger: silentLogger });
    try {
      const first = await start('first');
      await publisher.start();
      const TOTAL = 5_000;
      await publishAll(publisher, TOTAL, []);
      await waitFor(async () => (await redis.hlen(`${prefix}:runs`)) >= 1_000, 60_000, 'a fifth handled');
      first.child.kill('SIGKILL');
      const handledBeforeKill = await redis.hlen(`${prefix}:runs`);
      const second = await start('second');
      await waitFor(async () => (await redis.hlen(`${prefix}:runs`)) === TOTAL, 120_000, 'every event handled after the restart');
      console.log(`SIGKILL: ${handledBeforeKill} of ${TOTAL} handled before the kill, all ${TOTAL} after the restart`);
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    } finally {
      await publisher.stop();
      const keys = await redis.keys(`*${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  }, 240_000);

  it('dead-letters 1,000 garbage bodies as poison among valid traffic and handles every valid event', async () => {
    const prefix = uniquePrefix('host-garbage');
    prefixes.push(prefix);
    const { host, runs } = await countingHost(prefix);
    try {
      const exchange = `${prefix}.inventory.events`;
      const garbage = (i: number) => {
        const kinds = [
          'not json at all {',
          JSON.stringify({ specversion: '0.3', id: `g${i}`, source: 's', type: 'inventory.stock.level.changed', data: stock(i) }),
          JSON.stringify({ specversion: '1.0', id: `g${i}`, source: 's', type: 'inventory.stock.level.changed', data: { productData: { id: 42 } } }),
          JSON.stringify([1, 2, 3]),
        ];
        return Buffer.from(kinds[i % kinds.length]!);
      };
      const ids: string[] = [];
      const valid = publishAll(host, 5_000, ids);
      for (let i = 0; i < 1_000; i++) {
        await host.transport.publish({ exchange, routingKey: 'inventory.stock.level.changed', body: garbage(i), properties: { contentType: 'application/json' } });
      }
      await valid;
      const dlq = `${prefix}.count.h.dlq`;
      await waitFor(async () => runs.size === 5_000 && (await host.transport.queueInfo(dlq)).messages === 1_000, 60_000, 'valid handled and garbage dead-lettered');
      const reasons = new Set<unknown>();
      for (let i = 0; i < 20; i++) {
        const got = await host.transport.get(dlq);
        reasons.add(got!.delivery.properties.headers?.['x-death-reason']);
        await got!.settle('requeue');
      }
      expect([...reasons]).toEqual(['poison']);
      expect(host.ready()).toBe(true);
    } finally {
      await host.stop();
    }
  }, 180_000);
});
