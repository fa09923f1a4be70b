import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, type Host } from 'stokcerdas';
import { RedisDedupeStore, createRedisDedupeStore } from '../../../runtime/dedupe/redis-dedupe-store.ts';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { createMemoryTransport } from '../../../runtime/transport/memory/index.ts';

/** The shared dedupe store on the machine's Redis (127.0.0.1:6379). */
const REDIS_URL = 'redis://127.0.0.1:6379';
const namespace = `t-dedupe-${randomBytes(4).toString('hex')}`;
const admin = new Redis(REDIS_URL);

afterAll(async () => {
  const keys = await admin.keys(`stokcerdas:dedupe:${namespace}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

describe('Redis dedupe store', () => {
  it('remembers with the TTL (SET PX) and answers seen (EXISTS)', async () => {
    const store = await createRedisDedupeStore({ url: REDIS_URL, ttlMs: 60_000, namespace });
    try {
      expect(await store.seen('h/x|e-1')).toBe(false);
      await store.remember('h/x|e-1');
      expect(await store.seen('h/x|e-1')).toBe(true);
      const ttl = await admin.pttl(`stokcerdas:dedupe:${namespace}:h/x|e-1`);
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await store.close();
    }
  });

  it('fails the start with the URL masked when Redis cannot be reached', async () => {
    await expect(createRedisDedupeStore({ url: 'redis://user:hunter2@127.0.0.1:1', ttlMs: 1000, namespace })).rejects.toThrow(/dedupe\.redisUrl: cannot reach Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1/);
  });

  it('fails open when Redis stops answering: not seen, nothing remembered, no throw', async () => {
    const store = new RedisDedupeStore({ url: REDIS_URL, ttlMs: 1000, namespace, commandTimeoutMs: 200 });
    await store.connect();
    await store.close();
    expect(await store.seen('h/x|e-2')).toBe(false);
    await expect(store.remember('h/x|e-2')).resolves.toBeUndefined();
  });

  it('is what a host uses when dedupe.redisUrl is set: a second host skips what the first handled', async () => {
    const runs: string[] = [];
    const plugin = definePlugin({
      name: 'once',
      version: '1.0.0',
      handlers: { h: { subscribe: { routingKeys: ['orders.#'] }, handle: (e) => void runs.push(e.id) } },
    });
    const hosts: Host[] = [];
    const start = async () => {
      const host = createHost({ transport: 'memory', http: { enabled: false }, broker: { prefix: namespace }, dedupe: { redisUrl: REDIS_URL } }, { plugins: [plugin], logger: silentLogger, transport: createMemoryTransport() });
      hosts.push(host);
      await host.start();
      return host;
    };
    try {
      const [a, b] = [await start(), await start()];
      await a.publish('orders.order.paid', { orderData: { id: 'O-1' } }, { id: 'same-event-id' });
      await new Promise((r) => setTimeout(r, 200));
      expect(runs).toEqual(['same-event-id']);
      // the same event again (a redelivery after a crash would look like this), on the other host
      await b.publish('orders.order.paid', { orderData: { id: 'O-1' } }, { id: 'same-event-id' });
      await new Promise((r) => setTimeout(r, 200));
      expect(runs).toEqual(['same-event-id']);
      expect(b.stats().subscriptions[0]).toMatchObject({ deduplicated: 1 });
    } finally {
      for (const h of hosts) await h.stop();
    }
  });
});
