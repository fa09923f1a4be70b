import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from 'stokcerdas';
import { createTestBus } from 'stokcerdas/testing';
import { decodeDelivery, toCarriedMessage } from '../../../runtime/events/codec.ts';
import { SchemaRegistry } from '../../../runtime/events/schemas.ts';
import { buildEvent } from '../../../runtime/events/codec.ts';
import { PoisonMessageError } from '../../../runtime/errors.ts';
import { CarriedDelivery } from '../../../runtime/transport/event-snapshot.ts';
import { systemClock } from '../../../runtime/clock/index.ts';
import { contextExtensions, createContextProvider } from '../../../runtime/context/index.ts';
import { Publisher } from '../../../runtime/publishing/publisher.ts';
import type { Transport } from '../../../runtime/transport/contract.ts';
import { defaults } from '../../../config/defaults.ts';
import { pluginWith, stockChanged, type StockChangedEvent } from './fixtures.ts';

/** what a handler saw before it changed the event, then the change */
function recordingThenMutating(seen: number[], name: string, failFirst = false) {
  let calls = 0;
  return pluginWith(
    (event: StockChangedEvent) => {
      seen.push(event.data.stockLevel.current);
      event.data.stockLevel.current = -1;
      event.data.productData.name = `changed by ${name}`;
      if (failFirst && calls++ === 0) throw new Error('first attempt fails');
    },
    {},
    name,
  );
}

describe('the memory transport carries the published event, one copy per delivery', () => {
  it('a handler changing its event changes nothing another queue receives', async () => {
    const first: number[] = [];
    const second: number[] = [];
    const bus = await createTestBus({ plugins: [recordingThenMutating(first, 'one'), recordingThenMutating(second, 'two')] });
    await bus.publish('inventory.stock.level.changed', stockChanged(7));
    await bus.idle();
    expect(first).toEqual([7]);
    expect(second).toEqual([7]);
    await bus.close();
  });

  it('a retry gets the event as published, not as the failed attempt left it', async () => {
    const seen: number[] = [];
    const bus = await createTestBus({ plugins: [recordingThenMutating(seen, 'flaky', true)] });
    await bus.publish('inventory.stock.level.changed', stockChanged(7));
    await bus.advance(60_000);
    expect(seen).toEqual([7, 7]);
    expect(bus.consumed.map((e) => e.attempt)).toEqual([1, 2]);
    await bus.close();
  });

  it('the publisher changing its payload after publish changes nothing delivered', async () => {
    const seen: Array<{ current: number; name: string | undefined }> = [];
    const bus = await createTestBus({ plugins: [pluginWith((e) => void seen.push({ current: e.data.stockLevel.current, name: e.data.productData.name }))] });
    const payload = stockChanged(7);
    const published = await bus.publish('inventory.stock.level.changed', payload);
    payload.stockLevel.current = 0;
    payload.productData.name = 'changed by the caller';
    (published.data as typeof payload).stockLevel.current = 1;
    await bus.idle();
    expect(seen).toEqual([{ current: 7, name: 'Beras 5kg' }]);
    await bus.close();
  });

  it('refuses a payload with a cycle at publish, with the TypeError JSON.stringify throws', async () => {
    const bus = await createTestBus({ plugins: [pluginWith(() => {})] });
    const payload = stockChanged() as ReturnType<typeof stockChanged> & { self?: unknown };
    payload.self = payload;
    const refused = await bus.publish('inventory.stock.level.changed', payload).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as Error).message).toMatch(/circular/i);
    await bus.close();
  });

  it('delivers what JSON makes of a value and dead-letters an event that no longer fits its schema afterwards, as on RabbitMQ', async () => {
    const seen: unknown[] = [];
    const plugin = definePlugin({
      name: 'dated',
      version: '1.0.0',
      events: { 'inventory.test.dated': z.object({ at: z.date() }).passthrough() },
      handlers: { watch: { subscribe: { routingKeys: ['inventory.test.*'] }, handle: (event) => void seen.push(event.data) } },
    });
    const bus = await createTestBus({ plugins: [plugin] });
    // the schema accepts the Date at publish; the JSON body carries a string, which it refuses
    await bus.publish('inventory.test.dated', { at: new Date(Date.UTC(2026, 2, 1)) });
    await bus.idle();
    expect(seen).toEqual([]);
    expect(bus.deadLettered).toHaveLength(1);
    expect(bus.deadLettered[0]!.headers['x-death-reason']).toBe('poison');
    expect(JSON.parse(bus.deadLettered[0]!.body.toString('utf8')).data).toEqual({ at: '2026-03-01T00:00:00.000Z' });
    await bus.close();
  });
});

describe('decoding a carried event', () => {
  const wire = () => buildEvent('inventory.stock.level.changed', stockChanged(), { source: 'urn:test', now: Date.UTC(2026, 2, 1) });
  const options = { exchange: 'x', priority: 5, ttlMs: 1_000, appId: 'test' };
  const deliveryOf = (registry: SchemaRegistry, event = wire()) => {
    const message = toCarriedMessage(event, options, registry.stamp);
    return new CarriedDelivery(message.event!, 'x', 'inventory.stock.level.changed', 'q', message.properties, false);
  };

  it('skips the checks its own registry made at publish, and runs them when a schema was registered since', () => {
    const registry = new SchemaRegistry();
    // a payload this registry would refuse: vouched for, it is not looked at again
    const invalid = { ...wire(), data: { productData: { id: 'x' } } };
    expect(decodeDelivery(deliveryOf(registry, invalid), registry, Date.now).data).toEqual({ productData: { id: 'x' } });
    const delivery = deliveryOf(registry, invalid);
    registry.register('inventory.test.other', z.object({}));
    expect(() => decodeDelivery(delivery, registry, Date.now)).toThrow(PoisonMessageError);
  });

  it('checks an event another registry vouched for', () => {
    const invalid = { ...wire(), data: { productData: { id: 'x' } } };
    expect(() => decodeDelivery(deliveryOf(new SchemaRegistry(), invalid), new SchemaRegistry(), Date.now)).toThrow(/fails its schema/);
    expect(decodeDelivery(deliveryOf(new SchemaRegistry()), new SchemaRegistry(), Date.now).data).toEqual(stockChanged());
  });
});

describe('what the publisher hands each kind of transport', () => {
  const publisherOn = (carriesEvents: boolean | undefined) =>
    new Publisher({
      transport: { kind: 'amqp', durable: true, carriesEvents } as unknown as Transport,
      prefix: 'stokcerdas',
      clock: systemClock,
      provider: createContextProvider({ context: defaults.context } as Parameters<typeof createContextProvider>[0]),
      extensionsFor: contextExtensions,
      registry: new SchemaRegistry(),
      source: 'urn:test',
      appId: 'test',
      defaultPriority: 5,
      defaultTtlMs: 60_000,
    });

  it('gives a transport that carries bytes (AMQP) the encoded body and no event', () => {
    for (const carries of [undefined, false]) {
      const { event, message } = publisherOn(carries).prepare('inventory.stock.level.changed', stockChanged());
      expect(message.event).toBeUndefined();
      expect(Object.getOwnPropertyDescriptor(message, 'body')?.value).toBeInstanceOf(Buffer);
      const { context: _context, ...wire } = event;
      expect(message.body.toString('utf8')).toBe(JSON.stringify(wire));
    }
  });

  it('gives a transport that carries events a snapshot, and the same body when read', () => {
    const { event, message } = publisherOn(true).prepare('inventory.stock.level.changed', stockChanged());
    expect(message.event).toBeDefined();
    const { context: _context, ...wire } = event;
    expect(message.event!.copy()).toEqual(JSON.parse(JSON.stringify(wire)));
    expect(message.body.toString('utf8')).toBe(JSON.stringify(wire));
  });
});
