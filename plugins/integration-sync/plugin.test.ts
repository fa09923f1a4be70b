import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from 'stokcerdas';
import { createTestBus, type TestBus } from 'stokcerdas/testing';
import type { AdapterFactory, PushOutcome } from './adapters.ts';
import { failedSchema, succeededSchema, type SyncRequest } from './events.ts';
import integrationSync from './index.ts';
import type { IntegrationSyncOptionsInput } from './options.ts';
import type { IntegrationSync } from './target.ts';

/** A sales channel on virtual time: every push is recorded, `respond` decides its outcome. */
interface Channel {
  calls: { at: number; key: string; req: SyncRequest }[];
  respond: (n: number, req: SyncRequest) => PushOutcome;
}
const ok: PushOutcome = { kind: 'ok', status: 200, durationMs: 3 };
const down: PushOutcome = { kind: 'unavailable', status: 503, reason: 'HTTP 503', durationMs: 3 };

function fakeChannels(channels: Record<string, Channel>) {
  const factory: AdapterFactory = ({ name }) => ({
    async push(req, call) {
      const ch = channels[name]!;
      ch.calls.push({ at: call.now, key: call.idempotencyKey, req });
      return ch.respond(ch.calls.length, req);
    },
  });
  return definePlugin({
    name: 'fake-channels',
    version: '1.0.0',
    setup: (ctx) => ctx.register('integration-sync.adapter.fake', factory),
    handlers: { idle: { subscribe: { routingKeys: ['customers.customer.created'] }, handle() {} } },
  });
}

const channel = (respond: Channel['respond'] = () => ok): Channel => ({ calls: [], respond });

let bus: TestBus | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

async function start(channels: Record<string, Channel>, targets: Record<string, Record<string, unknown>>, extra: IntegrationSyncOptionsInput = {}) {
  const withAdapter = Object.fromEntries(Object.entries(targets).map(([n, t]) => [n, { adapter: 'fake', ...t }]));
  bus = await createTestBus({ plugins: [integrationSync, fakeChannels(channels)], options: { 'integration-sync': { ...extra, targets: withAdapter } } });
  return bus;
}

/** One unit sold, leaving `current`: `inventory.stock.level.changed` in the canonical shape. */
const stock = (productId: string, current: number, sku?: string) => ({
  productData: { id: productId, ...(sku ? { sku } : {}) },
  locationData: { id: 'GUDANG-1' },
  stockMovement: { type: 'sale' as const, quantity: -1 },
  stockLevel: { previous: current + 1, current },
});
const of = (b: TestBus, type: string) => b.published.filter((e) => e.type === type).map((e) => succeededSchema.or(failedSchema).parse(e.data));
const subscription = (b: TestBus, target: string) => b.host.stats().subscriptions.find((s) => s.handler === `integration-sync/to-${target}`)!;
const statusOf = (b: TestBus, target: string) => b.resolve<IntegrationSync>('integration-sync').target(target).status();

describe('integration-sync on the fake bus', () => {
  it('pushes each change to the targets that want it, keyed by the source event id', async () => {
    const shop = channel();
    const market = channel();
    const b = await start({ shop, market }, { shop: {}, market: { events: ['orders.order.*'], tenants: ['toko-1'] } });
    const moved = await b.publish('inventory.stock.level.changed', stock('SKU-1', 7, 'BRS-5'), { tenantId: 'toko-1' });
    const paid = await b.publish('orders.order.paid', { orderData: { id: 'O-1', totalAmount: 150_000 } }, { tenantId: 'toko-1' });
    await b.publish('orders.order.paid', { orderData: { id: 'O-2' } }, { tenantId: 'toko-2' });
    await b.idle();
    expect(shop.calls.map((c) => c.key)).toEqual([moved.id, paid.id, expect.any(String)]);
    expect(shop.calls[0]!.req).toMatchObject({ kind: 'stock', data: { productId: 'SKU-1', sku: 'BRS-5', locationId: 'GUDANG-1', quantity: 7, previousQuantity: 8 } });
    expect(market.calls.map((c) => c.req.data)).toEqual([{ orderId: 'O-1', status: 'paid', totalAmount: 150_000 }]);
    expect(of(b, 'integration.sync.succeeded').map((d) => `${d.target}:${d.sourceEventType}`).sort()).toEqual([
      'market:orders.order.paid',
      'shop:inventory.stock.level.changed',
      'shop:orders.order.paid',
      'shop:orders.order.paid',
    ]);
    expect(subscription(b, 'shop')).toMatchObject({ queue: 'stokcerdas.integration.sync.shop', consumed: 3, succeeded: 3 });
  });

  it('pushes legacy flat (version 1) stock and order events the same, after upcasting', async () => {
    const shop = channel();
    const b = await start({ shop }, { shop: {} });
    await b.publish('inventory.stock.level.changed', { productId: 'SKU-1', sku: 'BRS-5', locationId: 'GUDANG-1', previousLevel: 8, newLevel: 7, quantityChanged: -1, movementType: 'sale' });
    const shipped = { orderId: 'O-1', trackingNumber: 'JNE1', courier: 'JNE' }; // version 1 plus the producer's own fields
    await b.publish('orders.order.shipped', shipped);
    await b.idle();
    expect(shop.calls.map((c) => c.req.data)).toEqual([
      { productId: 'SKU-1', sku: 'BRS-5', locationId: 'GUDANG-1', quantity: 7, previousQuantity: 8, movementType: 'sale' },
      { orderId: 'O-1', status: 'shipped', trackingNumber: 'JNE1', courier: 'JNE' },
    ]);
  });

  it('spaces pushes to the rate limit after the burst', async () => {
    const shop = channel();
    const b = await start({ shop }, { shop: { rateLimit: { perSecond: 2, burst: 2 } } });
    const t0 = b.clock.now();
    for (let i = 0; i < 6; i++) await b.publish('inventory.stock.level.changed', stock(`SKU-${i}`, i));
    await b.advance(3_000);
    expect(shop.calls.map((c) => c.at - t0)).toEqual([0, 0, 500, 1000, 1500, 2000]);
  });

  it('pauses a failing target in the broker, leaves the others alone, and probes after the cooldown', async () => {
    let healthy = false;
    const flaky = channel(() => (healthy ? ok : down));
    const steady = channel();
    const b = await start({ flaky, steady }, { flaky: { breaker: { failureThreshold: 3, cooldownMs: 60_000 } }, steady: {} });
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await b.publish('inventory.stock.level.changed', stock(`SKU-${i}`, i))).id);
    await b.idle();

    expect(flaky.calls).toHaveLength(3);
    expect(steady.calls).toHaveLength(10);
    expect(subscription(b, 'flaky')).toMatchObject({ paused: true, failed: 3, retried: 3 });
    expect(subscription(b, 'steady').paused).toBeUndefined();
    expect(statusOf(b, 'flaky')).toMatchObject({ breaker: 'open', paused: true, opens: 1 });
    expect((await b.transport.queueInfo('stokcerdas.integration.sync.flaky')).messages).toBe(7);
    expect(of(b, 'integration.sync.failed')).toEqual(Array(3).fill(expect.objectContaining({ target: 'flaky', outcome: 'unavailable', retrying: true })));

    await b.advance(59_000);
    expect(flaky.calls).toHaveLength(3); // retries come back into the paused queue and wait there
    healthy = true;
    await b.advance(1_000);
    expect(statusOf(b, 'flaky')).toMatchObject({ breaker: 'closed', paused: false });
    expect(new Set(flaky.calls.slice(3).map((c) => c.key))).toEqual(new Set(ids));
    expect(flaky.calls).toHaveLength(13);
    expect(b.deadLettered).toEqual([]);
  });

  it('doubles the cooldown when the probe fails, sending one request per cooldown', async () => {
    const dead = channel(() => down);
    const b = await start({ dead }, { dead: { breaker: { failureThreshold: 2, cooldownMs: 10_000 }, retry: { maxAttempts: 20, delayMs: 1_000 } } });
    for (let i = 0; i < 5; i++) await b.publish('inventory.stock.level.changed', stock(`SKU-${i}`, i));
    await b.idle();
    expect(dead.calls).toHaveLength(2);
    await b.advance(10_000);
    expect(dead.calls).toHaveLength(3);
    expect(statusOf(b, 'dead')).toMatchObject({ breaker: 'open', opens: 2 });
    await b.advance(19_000);
    expect(dead.calls).toHaveLength(3);
    await b.advance(1_000);
    expect(dead.calls).toHaveLength(4);
  });

  it('stops at once when the target answers 429, for as long as Retry-After says', async () => {
    const limited = channel((n) => (n === 1 ? { kind: 'rate-limited', status: 429, retryAfterMs: 45_000, durationMs: 1 } : ok));
    const b = await start({ limited }, { limited: {} });
    for (let i = 0; i < 3; i++) await b.publish('inventory.stock.level.changed', stock(`SKU-${i}`, i));
    await b.idle();
    expect(limited.calls).toHaveLength(1);
    await b.advance(44_000);
    expect(limited.calls).toHaveLength(1);
    await b.advance(1_000);
    await b.advance(10_000);
    expect(limited.calls).toHaveLength(4);
  });

  it('dead-letters a request the target refuses, without tripping the kill switch', async () => {
    const picky = channel((n) => (n === 1 ? { kind: 'rejected', status: 422, reason: 'HTTP 422: unknown SKU', durationMs: 1 } : ok));
    const b = await start({ picky }, { picky: { breaker: { failureThreshold: 1 } } });
    await b.publish('inventory.stock.level.changed', stock('SKU-X', 1));
    await b.publish('inventory.stock.level.changed', stock('SKU-Y', 1));
    await b.idle();
    expect(picky.calls).toHaveLength(2);
    expect(b.deadLettered).toEqual([expect.objectContaining({ queue: 'stokcerdas.integration.sync.picky', headers: expect.objectContaining({ 'x-death-reason': 'non-retryable' }) })]);
    expect(of(b, 'integration.sync.failed')).toEqual([expect.objectContaining({ outcome: 'rejected', retrying: false, status: 422 })]);
    expect(statusOf(b, 'picky').breaker).toBe('closed');
  });

  it('does not let a late retry overwrite a newer stock level', async () => {
    const shop = channel((n) => (n === 1 ? down : ok));
    const b = await start({ shop }, { shop: {} });
    await b.publish('inventory.stock.level.changed', stock('SKU-1', 9));
    await b.publish('inventory.stock.level.changed', stock('SKU-1', 8), { time: b.clock.now() + 1000 });
    await b.advance(10_000);
    expect(shop.calls.map((c) => c.req.data.quantity)).toEqual([9, 8]);
    expect(of(b, 'integration.sync.succeeded').map((d) => d.skipped ?? 'pushed')).toEqual(['pushed', 'superseded']);
  });

  it('counts a missing adapter as a failing target instead of dropping the request', async () => {
    const b = await start({}, { ghost: { adapter: 'nowhere', breaker: { failureThreshold: 1 } } });
    await b.publish('inventory.stock.level.changed', stock('SKU-1', 1));
    await b.idle();
    expect(of(b, 'integration.sync.failed')).toEqual([expect.objectContaining({ outcome: 'no-adapter' })]);
    expect(subscription(b, 'ghost').paused).toBe(true);
  });

  it('refuses a webhook target without url and secret, with the path', async () => {
    await expect(
      createTestBus({ plugins: [integrationSync], options: { 'integration-sync': { targets: { tokopedia: { adapter: 'webhook' } } } } }),
    ).rejects.toThrow(/targets\.tokopedia\.url: the webhook adapter needs url/);
  });
});
