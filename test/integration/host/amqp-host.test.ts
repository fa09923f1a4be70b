import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, NonRetryableError, type Host, type StokEvent } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

/** The whole host on the real RabbitMQ: topology, broker-held retries, dead letters, outbox. */
let url: string;
const prefixes: string[] = [];
beforeAll(async () => {
  url = await getBrokerUrl();
});
afterAll(async () => {
  for (const p of prefixes) await deleteByPrefix(url, p);
});

/** `inventory.stock.level.changed` in the canonical shape; the tenant travels in the payload's seed-style `tenantId` */
const stock = (productId: string) => ({
  productData: { id: productId },
  locationData: { id: 'WH-JKT' },
  stockMovement: { type: 'sale' as const, quantity: -5 },
  stockLevel: { previous: 9, current: 4 },
  tenantId: 't1',
});

function hostWith(prefix: string, plugins: ReturnType<typeof definePlugin>[], extra: Record<string, unknown> = {}): Host {
  return createHost({ broker: { url, prefix }, http: { enabled: false }, ...extra }, { plugins, logger: silentLogger });
}

describe('host on RabbitMQ', () => {
  it('delivers an event to its handler with the business context, and publishes what the handler emits', async () => {
    const prefix = uniquePrefix('host-ok');
    prefixes.push(prefix);
    const seen: StokEvent[] = [];
    const plugin = definePlugin({
      name: 'flow',
      version: '1.0.0',
      handlers: {
        first: {
          subscribe: { routingKeys: ['inventory.stock.level.changed'] },
          handle(event, ctx) {
            seen.push(event);
            ctx.publish('inventory.stock.low', { productData: event.data.productData, locationData: { id: 'WH-JKT' }, stockLevel: { current: 4 } });
          },
        },
        second: {
          subscribe: { routingKeys: ['inventory.stock.low'] },
          handle(event) {
            seen.push(event);
          },
        },
      },
    });
    const host = hostWith(prefix, [plugin]);
    await host.start();
    try {
      const cause = await host.publish('inventory.stock.level.changed', stock('SKU-1'), { correlationId: 'corr-1' });
      await waitFor(() => seen.length === 2, 10_000, 'both handlers');
      expect(seen[0]).toMatchObject({ id: cause.id, tenantid: 't1', context: expect.objectContaining({ timezone: 'Asia/Jakarta' }) });
      expect(seen[1]).toMatchObject({ type: 'inventory.stock.low', causationid: cause.id, correlationid: 'corr-1' });
      expect(host.ready()).toBe(true);
    } finally {
      await host.stop();
    }
  });

  it('retries through broker TTL queues with the configured delays, then dead-letters with the headers', async () => {
    const prefix = uniquePrefix('host-retry');
    prefixes.push(prefix);
    const attempts: number[] = [];
    const plugin = definePlugin({
      name: 'fails',
      version: '1.0.0',
      handlers: {
        always: {
          subscribe: { routingKeys: ['inventory.stock.level.changed'] },
          retry: { maxAttempts: 3, delayMs: 400, multiplier: 2 },
          handle() {
            attempts.push(Date.now());
            throw new Error('still down');
          },
        },
      },
    });
    const host = hostWith(prefix, [plugin]);
    await host.start();
    try {
      const event = await host.publish('inventory.stock.level.changed', stock('SKU-2'));
      const dlq = `${prefix}.fails.always.dlq`;
      await waitFor(async () => (await host.transport.queueInfo(dlq)).messages === 1, 15_000, 'a dead letter');
      expect(attempts).toHaveLength(3);
      const gaps = [attempts[1]! - attempts[0]!, attempts[2]! - attempts[1]!];
      expect(gaps[0]).toBeGreaterThanOrEqual(380);
      expect(gaps[0]).toBeLessThan(1400);
      expect(gaps[1]).toBeGreaterThanOrEqual(780);
      expect(gaps[1]).toBeLessThan(1800);
      const got = await host.transport.get(dlq);
      expect(got).not.toBeNull();
      expect(JSON.parse(got!.delivery.body.toString()).id).toBe(event.id);
      expect(got!.delivery.properties.messageId).toBe(event.id);
      expect(got!.delivery.properties.headers).toMatchObject({
        'x-death-reason': 'retries-exhausted',
        'x-attempts': 3,
        'x-error-message': 'still down',
        'x-handler': 'fails/always',
        'x-original-exchange': `${prefix}.inventory.events`,
        'x-original-routing-key': 'inventory.stock.level.changed',
        'x-original-queue': `${prefix}.fails.always`,
      });
      await got!.settle('ack');
    } finally {
      await host.stop();
    }
  });

  it('dead-letters poison and non-retryable deliveries at once and keeps consuming', async () => {
    const prefix = uniquePrefix('host-poison');
    prefixes.push(prefix);
    const handled: string[] = [];
    const plugin = definePlugin({
      name: 'picky',
      version: '1.0.0',
      handlers: {
        h: {
          subscribe: { routingKeys: ['inventory.stock.level.changed'] },
          handle(event) {
            if (event.data.productData.id === 'BAD') throw new NonRetryableError('deleted product');
            handled.push(event.data.productData.id);
          },
        },
      },
    });
    const host = hostWith(prefix, [plugin]);
    await host.start();
    try {
      await host.transport.publish({ exchange: `${prefix}.inventory.events`, routingKey: 'inventory.stock.level.changed', body: Buffer.from('not json'), properties: {} });
      await host.publish('inventory.stock.level.changed', stock('BAD'));
      await host.publish('inventory.stock.level.changed', stock('GOOD'));
      const dlq = `${prefix}.picky.h.dlq`;
      await waitFor(async () => (await host.transport.queueInfo(dlq)).messages === 2 && handled.length === 1, 10_000, 'two dead letters');
      const reasons: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        const got = await host.transport.get(dlq);
        reasons.push(got!.delivery.properties.headers?.['x-death-reason']);
        await got!.settle('ack');
      }
      expect(reasons.sort()).toEqual(['non-retryable', 'poison']);
      expect(handled).toEqual(['GOOD']);
    } finally {
      await host.stop();
    }
  });

  it('loses nothing when the host restarts while a retry waits in the broker', async () => {
    const prefix = uniquePrefix('host-restart');
    prefixes.push(prefix);
    let failFirst = true;
    const handled: number[] = [];
    const plugin = definePlugin({
      name: 'once',
      version: '1.0.0',
      handlers: {
        h: {
          subscribe: { routingKeys: ['inventory.stock.level.changed'] },
          retry: { maxAttempts: 3, delayMs: 1500 },
          handle(_event, ctx) {
            if (failFirst) {
              failFirst = false;
              throw new Error('first try fails');
            }
            handled.push(ctx.attempt);
          },
        },
      },
    });
    const first = hostWith(prefix, [plugin]);
    await first.start();
    await first.publish('inventory.stock.level.changed', stock('SKU-3'));
    await waitFor(() => !failFirst, 5000, 'the first attempt');
    await first.stop();
    const second = hostWith(prefix, [plugin]);
    await second.start();
    try {
      await waitFor(() => handled.length === 1, 10_000, 'the retry after restart');
      expect(handled).toEqual([2]);
    } finally {
      await second.stop();
    }
  });
});
