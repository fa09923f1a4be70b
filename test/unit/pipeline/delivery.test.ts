import { describe, expect, it } from 'vitest';
import { definePlugin } from 'stokcerdas';
import { createTestBus } from 'stokcerdas/testing';
import { batchPluginWith, legacyStockChanged, pluginWith, stockChanged } from './fixtures.ts';

const rawPublish = (bus: Awaited<ReturnType<typeof createTestBus>>, body: string | Buffer, routingKey = 'inventory.stock.level.changed') =>
  bus.transport.publish({
    exchange: 'stokcerdas.inventory.events',
    routingKey,
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    properties: { contentType: 'application/json' },
  });

describe('decode: poison goes to the DLQ at once', () => {
  const seen: unknown[] = [];
  const probe = pluginWith((event) => {
    seen.push(event);
  });

  it.each([
    ['a body that is not JSON', '{not json'],
    ['a JSON array', '[1,2]'],
    ['a CloudEvent without an id', JSON.stringify({ specversion: '1.0', source: 's', type: 'inventory.stock.level.changed', data: {} })],
    ['a CloudEvent with a float extension', JSON.stringify({ specversion: '1.0', id: 'e1', source: 's', type: 'inventory.stock.level.changed', indoseasonal: 1.2, data: stockChanged() })],
    ['a payload that fails its type schema', JSON.stringify({ specversion: '1.0', id: 'e2', source: 's', type: 'inventory.stock.level.changed', data: { productId: 'x' } })],
  ])('dead-letters %s as poison without calling the handler', async (_name, body) => {
    seen.length = 0;
    const bus = await createTestBus({ plugins: [probe] });
    await rawPublish(bus, body);
    await bus.idle();
    expect(seen).toEqual([]);
    expect(bus.deadLettered).toHaveLength(1);
    expect(bus.deadLettered[0]!.headers).toMatchObject({ 'x-death-reason': 'poison', 'x-attempts': 1, 'x-error-type': 'PoisonMessageError' });
    await bus.close();
  });

  it('names the failing field of a schema violation', async () => {
    const bus = await createTestBus({ plugins: [probe] });
    await rawPublish(bus, JSON.stringify({ specversion: '1.0', id: 'e3', source: 's', type: 'inventory.stock.level.changed', data: stockChanged(-1) }));
    await bus.idle();
    expect(String(bus.deadLettered[0]!.headers['x-error-message'])).toContain('data.stockLevel.current');
    await bus.close();
  });

  it('accepts a legacy flat (version 1) CloudEvent and hands the handler the upcast shape', async () => {
    seen.length = 0;
    const bus = await createTestBus({ plugins: [probe] });
    await rawPublish(bus, JSON.stringify({ specversion: '1.0', id: 'e-legacy', source: 's', type: 'inventory.stock.level.changed', data: legacyStockChanged() }));
    await bus.idle();
    expect(bus.deadLettered).toEqual([]);
    expect(bus.consumed[0]!.data).toMatchObject({
      productData: { id: 'SKU-1', name: 'Beras 5kg' },
      locationData: { id: 'WH-JKT' },
      stockMovement: { quantity: -16 },
      stockLevel: { previous: 20, current: 4, reorderPoint: 10 },
    });
    await bus.close();
  });

  it('wraps a plain JSON body as data when the routing key is a known type', async () => {
    seen.length = 0;
    const bus = await createTestBus({ plugins: [probe] });
    await rawPublish(bus, JSON.stringify(stockChanged()));
    await bus.idle();
    expect(bus.deadLettered).toEqual([]);
    expect(bus.consumed).toHaveLength(1);
    expect(bus.consumed[0]).toMatchObject({ specversion: '1.0', type: 'inventory.stock.level.changed', tenantid: 't1', data: stockChanged() });
    await bus.close();
  });

  it('dead-letters a plain JSON body whose routing key is not a known type', async () => {
    const catchAll = definePlugin({
      name: 'probe',
      version: '1.0.0',
      handlers: { watch: { subscribe: { exchange: 'inventory.events', routingKeys: ['inventory.#'] }, handle() {} } },
    });
    const bus = await createTestBus({ plugins: [catchAll] });
    await rawPublish(bus, JSON.stringify({ hello: 'world' }), 'inventory.something.unknown');
    await bus.idle();
    expect(bus.deadLettered[0]!.headers['x-death-reason']).toBe('poison');
    await bus.close();
  });
});

describe('wire format and enrichment', () => {
  it('publishes a CloudEvent whose AMQP properties mirror it', async () => {
    const bus = await createTestBus({ plugins: [pluginWith(() => {})] });
    const event = await bus.publish('inventory.stock.level.changed', stockChanged(), { tenantId: 't1', userId: 'u1', correlationId: 'c1', priority: 8, ttl: 60_000 });
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'inventory.stock.level.changed',
      datacontenttype: 'application/json',
      tenantid: 't1',
      userid: 'u1',
      correlationid: 'c1',
      indotimezone: 'Asia/Jakarta',
      indozone: 'WIB',
      indobusinesshours: true,
      indoramadan: false,
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof event.indoseasonal).toBe('string');
    await bus.idle();
    const [dlq] = bus.transport.peek('stokcerdas.probe.watch');
    expect(dlq).toBeUndefined(); // consumed and acked
    await bus.close();
  });

  it('gives handlers the nested business context for the event’s own time', async () => {
    const contexts: unknown[] = [];
    const bus = await createTestBus({ plugins: [pluginWith((e) => void contexts.push(e.context))] });
    // 2026-01-05 is a Monday; 20:00 WIB is outside business hours
    await bus.publish('inventory.stock.level.changed', stockChanged(), { time: '2026-01-05T13:00:00Z' });
    await bus.publish('inventory.stock.level.changed', stockChanged(), { time: '2026-01-05T03:00:00Z' });
    await bus.idle();
    expect(contexts).toEqual([
      expect.objectContaining({ timezone: 'Asia/Jakarta', businessHours: false }),
      expect.objectContaining({ timezone: 'Asia/Jakarta', businessHours: true }),
    ]);
    await bus.close();
  });

  it('refuses to publish a payload that fails its schema, before anything is sent', async () => {
    const bus = await createTestBus({ plugins: [pluginWith(() => {})] });
    // @ts-expect-error the type-checker refuses it too; this proves the run-time check
    await expect(bus.publish('inventory.stock.level.changed', { productData: { id: 'x' } })).rejects.toMatchObject({ code: 'STOKCERDAS_EVENT_INVALID' });
    expect(bus.published).toEqual([]);
    await bus.close();
  });
});

describe('outbox', () => {
  const emitting = (fail: boolean) =>
    pluginWith((event, ctx) => {
      const { productData, locationData, stockLevel } = event.data;
      ctx.publish('inventory.stock.low', { productData, locationData, stockLevel: { current: stockLevel.current } });
      if (fail) throw new Error('after publish');
    });

  it('publishes what a handler emitted after it succeeds, carrying tenant, user, correlation and causation', async () => {
    const bus = await createTestBus({ plugins: [emitting(false)] });
    const cause = await bus.publish('inventory.stock.level.changed', stockChanged(), { tenantId: 't9', userId: 'u9', correlationId: 'corr-9' });
    await bus.idle();
    const emitted = bus.published.find((e) => e.type === 'inventory.stock.low');
    expect(emitted).toMatchObject({ tenantid: 't9', userid: 'u9', correlationid: 'corr-9', causationid: cause.id });
    await bus.close();
  });

  it('discards what a failing handler emitted', async () => {
    const bus = await createTestBus({ plugins: [emitting(true)] });
    await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.advance(60_000);
    expect(bus.failed).toHaveLength(3);
    expect(bus.published.map((e) => e.type)).toEqual(['inventory.stock.level.changed']);
    await bus.close();
  });
});

describe('dedupe', () => {
  it('runs a handler once for an event delivered twice', async () => {
    let calls = 0;
    const bus = await createTestBus({ plugins: [pluginWith(() => void calls++)] });
    const event = await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.idle();
    // the broker redelivers the same message (at-least-once)
    await rawPublish(bus, JSON.stringify({ ...event, context: undefined }));
    await bus.idle();
    expect(calls).toBe(1);
    expect(bus.host.stats().subscriptions[0]).toMatchObject({ consumed: 1, deduplicated: 1 });
    await bus.close();
  });
});

describe('dispatch on a shared queue', () => {
  it('runs only the handlers whose patterns match, and retries only the one that failed', async () => {
    const calls: string[] = [];
    let failOnce = true;
    const plugin = definePlugin({
      name: 'shared',
      version: '1.0.0',
      handlers: {
        levels: {
          subscribe: { exchange: 'inventory.events', routingKeys: ['inventory.stock.level.*'], queue: 'inventory.stock.updates' },
          handle: () => void calls.push('levels'),
        },
        all: {
          subscribe: { exchange: 'inventory.events', routingKeys: ['inventory.#'], queue: 'inventory.stock.updates' },
          handle: () => {
            calls.push('all');
            if (failOnce) {
              failOnce = false;
              throw new Error('once');
            }
          },
        },
        products: {
          subscribe: { exchange: 'inventory.events', routingKeys: ['inventory.product.*'], queue: 'inventory.stock.updates' },
          handle: () => void calls.push('products'),
        },
      },
    });
    const bus = await createTestBus({ plugins: [plugin] });
    await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.advance(10_000);
    expect(calls.sort()).toEqual(['all', 'all', 'levels']);
    await bus.close();
  });
});

describe('batching on virtual time', () => {
  const batched = (seen: number[][]) =>
    batchPluginWith((events) => void seen.push(events.map((e) => e.data.stockLevel.current)), { size: 3, flushMs: 1000 });

  it('flushes a batch when it is full', async () => {
    const seen: number[][] = [];
    const bus = await createTestBus({ plugins: [batched(seen)] });
    for (const level of [1, 2, 3]) await bus.publish('inventory.stock.level.changed', stockChanged(level));
    await bus.idle();
    expect(seen).toEqual([[1, 2, 3]]);
    expect(bus.host.stats().batches[0]).toMatchObject({ batches: 1, flushReasons: { size: 1, time: 0, drain: 0 } });
    await bus.close();
  });

  it('flushes a partial batch after flushMs', async () => {
    const seen: number[][] = [];
    const bus = await createTestBus({ plugins: [batched(seen)] });
    await bus.publish('inventory.stock.level.changed', stockChanged(7));
    await bus.idle();
    expect(seen).toEqual([]);
    await bus.advance(1000);
    expect(seen).toEqual([[7]]);
    await bus.close();
  });
});

describe('local subscriptions', () => {
  it('tells in-process listeners about every confirmed event that matches', async () => {
    const bus = await createTestBus({ plugins: [pluginWith(() => {})] });
    const heard: string[] = [];
    bus.host.subscribeLocal('inventory.#', (e) => void heard.push(e.type));
    await bus.publish('inventory.stock.level.changed', stockChanged());
    expect(heard).toEqual(['inventory.stock.level.changed']);
    await bus.close();
  });
});
