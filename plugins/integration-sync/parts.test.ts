import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from 'stokcerdas';
import { verify } from 'stokcerdas/webhooks';
import { webhookAdapter } from './adapters.ts';
import { Breaker } from './breaker.ts';
import { integrationSyncOptionsSchema } from './options.ts';
import { matchesTopic, orderRequest, stockRequest } from './requests.ts';
import { TokenBucket } from './token-bucket.ts';

describe('breaker', () => {
  const policy = { failureThreshold: 3, cooldownMs: 1000, maxCooldownMs: 3000 };

  it('opens after the threshold of failures in a row, a success in between resets the count', () => {
    const b = new Breaker(policy);
    expect([b.failure(), b.failure()]).toEqual([undefined, undefined]);
    b.success();
    expect([b.failure(), b.failure(), b.failure()]).toEqual([undefined, undefined, 1000]);
    expect(b.admit()).toBe('deny');
  });

  it('lets exactly one probe through when half-open, and doubles the cooldown up to the cap on failure', () => {
    const b = new Breaker(policy);
    for (let i = 0; i < 3; i++) b.failure();
    b.halfOpen();
    expect([b.admit(), b.admit()]).toEqual(['probe', 'deny']);
    expect(b.failure()).toBe(2000);
    b.halfOpen();
    b.admit();
    expect(b.failure()).toBe(3000);
    b.halfOpen();
    expect(b.admit()).toBe('probe');
    expect(b.success()).toBe(true);
    expect(b.admit()).toBe('call');
  });

  it('opens at once on a 429 and honours a long Retry-After', () => {
    const b = new Breaker(policy);
    expect(b.failure(10_000)).toBe(10_000);
  });
});

describe('token bucket', () => {
  it('allows the burst at once, then one token per 1/rate', async () => {
    const clock = new VirtualClock(0);
    const bucket = new TokenBucket(4, 2, clock.now());
    expect([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)]).toEqual([0, 0, 250]);
    const taken = bucket.take(clock);
    await clock.advance(250);
    await expect(taken).resolves.toBe(250);
  });

  it('gives up waiting when the handler is aborted', async () => {
    const clock = new VirtualClock(0);
    const bucket = new TokenBucket(1, 1, 0);
    bucket.tryTake(0);
    const controller = new AbortController();
    const taken = bucket.take(clock, controller.signal);
    controller.abort(new Error('handler timed out'));
    await expect(taken).rejects.toThrow('handler timed out');
  });
});

describe('requests', () => {
  it('matches topic patterns the way RabbitMQ does', () => {
    expect(matchesTopic('orders.order.*', 'orders.order.paid')).toBe(true);
    expect(matchesTopic('orders.*', 'orders.order.paid')).toBe(false);
    expect(matchesTopic('#', 'inventory.stock.level.changed')).toBe(true);
    expect(matchesTopic('inventory.#.changed', 'inventory.stock.level.changed')).toBe(true);
  });

  it("reads an order's status from its event type", () => {
    const req = orderRequest('shop', { id: 'e1', type: 'orders.order.shipped', time: 't', data: { orderData: { id: 'O-1' }, fulfillmentData: { trackingNumber: 'JNE1', carrier: 'JNE' } } });
    expect(req).toMatchObject({ kind: 'order-status', data: { orderId: 'O-1', status: 'shipped', trackingNumber: 'JNE1', courier: 'JNE' } });
  });

  it('normalises a stock change to quantity and previousQuantity', () => {
    const data = { productData: { id: 'P', sku: 'BRS-5' }, locationData: { id: 'L' }, stockMovement: { type: 'sale' as const, quantity: -2 }, stockLevel: { previous: 5, current: 3 } };
    expect(stockRequest('shop', { id: 'e2', type: 'inventory.stock.level.changed', time: 't', data }).data).toEqual({
      productId: 'P',
      sku: 'BRS-5',
      locationId: 'L',
      quantity: 3,
      previousQuantity: 5,
      movementType: 'sale',
    });
  });
});

describe('webhook adapter over real HTTP', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(undefined));
  });

  async function serve(handler: Parameters<typeof createServer>[1]) {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sync`;
  }

  const target = (url: string, timeoutMs = 1000) =>
    integrationSyncOptionsSchema.parse({ targets: { shop: { url, secret: 'shop-secret-0123456789', timeoutMs } } }).targets.shop!;
  const request = stockRequest('shop', {
    id: 'evt-1',
    type: 'inventory.stock.level.changed',
    time: '2026-01-05T03:00:00Z',
    tenantid: 't1',
    data: { productData: { id: 'P' }, locationData: { id: 'L' }, stockMovement: { type: 'sale', quantity: -1 }, stockLevel: { previous: 4, current: 3 } },
  });
  const call = (now = Date.now()) => ({ idempotencyKey: 'evt-1', now, signal: new AbortController().signal });

  it('posts the signed change with the event id as Idempotency-Key', async () => {
    let seen: { key?: string; valid?: boolean; body?: unknown } = {};
    const url = await serve(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      const headers = { signature: req.headers['x-stokcerdas-signature'] as string, timestamp: req.headers['x-stokcerdas-timestamp'] as string };
      seen = { key: req.headers['idempotency-key'] as string, valid: verify('shop-secret-0123456789', headers, raw, Math.floor(Date.now() / 1000)), body: JSON.parse(raw) };
      res.writeHead(204).end();
    });
    const outcome = await webhookAdapter({ name: 'shop', options: target(url) }).push(request, call());
    expect(outcome).toMatchObject({ kind: 'ok', status: 204 });
    expect(seen).toEqual({ key: 'evt-1', valid: true, body: { id: 'evt-1', target: 'shop', kind: 'stock', type: 'inventory.stock.level.changed', occurredAt: '2026-01-05T03:00:00Z', tenantId: 't1', data: { productId: 'P', locationId: 'L', quantity: 3, previousQuantity: 4, movementType: 'sale' } } });
  });

  it('gives up on a stalled target after its timeout', async () => {
    const url = await serve(() => {});
    const started = Date.now();
    const outcome = await webhookAdapter({ name: 'shop', options: target(url, 300) }).push(request, call());
    expect(outcome).toMatchObject({ kind: 'unavailable', reason: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('tells rate limiting, outages and refusals apart', async () => {
    const answers = [
      [429, { 'retry-after': '7' }],
      [502, {}],
      [400, {}],
    ] as const;
    let i = 0;
    const url = await serve((_req, res) => {
      const [status, headers] = answers[i++]!;
      res.writeHead(status, headers).end('nope');
    });
    const adapter = webhookAdapter({ name: 'shop', options: target(url) });
    expect(await adapter.push(request, call())).toMatchObject({ kind: 'rate-limited', retryAfterMs: 7000 });
    expect(await adapter.push(request, call())).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(await adapter.push(request, call())).toMatchObject({ kind: 'rejected', status: 400, reason: 'HTTP 400: nope' });
  });

  it('reports a refused connection as unavailable', async () => {
    const url = await serve(() => {});
    server!.close();
    server = undefined;
    const outcome = await webhookAdapter({ name: 'shop', options: target(url) }).push(request, call());
    expect(outcome).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('ECONNREFUSED') });
  });
});
