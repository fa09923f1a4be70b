import { describe, expect, it } from 'vitest';
import { buildEvent, toCarriedMessage, toMessage } from '../../../runtime/events/codec.ts';
import type { CloudEventWire } from '../../../runtime/events/types.ts';
import type { Delivery, Settlement } from '../../../runtime/transport/contract.ts';
import { createMemoryTransport } from '../../../runtime/transport/memory/index.ts';

const STAMP = {};
const options = { exchange: 'shop', priority: 5, ttlMs: 60_000, appId: 'test' };
const event = (): CloudEventWire =>
  buildEvent('inventory.stock.level.changed', { productData: { id: 'SKU-1', name: 'Beras 5kg' }, stockLevel: { previous: 20, current: 19 }, note: 'Lebaran ☪' }, {
    source: 'urn:test',
    now: Date.UTC(2026, 2, 1),
    tenantId: 't1',
  });

/** Two queues bound to one exchange: one carried message reaches both. */
async function twoQueues() {
  const transport = createMemoryTransport();
  await transport.assertTopology({
    exchanges: [{ name: 'shop', type: 'topic' }, { name: 'dead', type: 'fanout' }],
    queues: [{ name: 'a', deadLetterExchange: 'dead' }, { name: 'b' }, { name: 'dlq' }],
    routes: [
      { exchange: 'shop', queue: 'a', routingKey: '#' },
      { exchange: 'shop', queue: 'b', routingKey: '#' },
      { exchange: 'dead', queue: 'dlq', routingKey: '' },
    ],
  });
  return transport;
}

const dataOf = (d: Delivery) => (d.event as { data: { stockLevel: { current: number }; note?: string } }).data;

describe('events the memory transport carries instead of bytes', () => {
  it('says it carries events; its body, read lazily, is the JSON text the bytes would have been', async () => {
    const transport = await twoQueues();
    expect(transport.carriesEvents).toBe(true);
    const wire = event();
    const carried = toCarriedMessage(wire, options, STAMP);
    expect(carried.body.toString('utf8')).toBe(JSON.stringify(wire));
    expect(carried.body.equals(toMessage(wire, options).body)).toBe(true);
    await transport.publish(carried);
    const got = await transport.get('b');
    expect(got!.delivery.body.toString('utf8')).toBe(JSON.stringify(wire));
    expect(got!.delivery.event).toEqual(JSON.parse(JSON.stringify(wire)));
    expect(transport.peek('a')[0]!.body.toString('utf8')).toBe(JSON.stringify(wire));
    await transport.close();
  });

  it('gives every delivery its own copy: a handler changing it touches neither another queue nor a redelivery', async () => {
    const transport = await twoQueues();
    const seen: Array<{ queue: string; current: number; redelivered: boolean }> = [];
    let first = true;
    const mutating = (d: Delivery): Settlement => {
      const data = dataOf(d);
      seen.push({ queue: d.queue, current: data.stockLevel.current, redelivered: d.redelivered });
      data.stockLevel.current = -100;
      data.note = 'changed by a handler';
      if (d.queue === 'a' && first) {
        first = false;
        return 'requeue';
      }
      return 'ack';
    };
    await transport.consume('a', { prefetch: 1, concurrency: 1 }, mutating);
    await transport.consume('b', { prefetch: 1, concurrency: 1 }, mutating);
    await transport.publish(toCarriedMessage(event(), options, STAMP));
    await transport.whenIdle();
    expect(seen).toEqual(
      expect.arrayContaining([
        { queue: 'a', current: 19, redelivered: false },
        { queue: 'a', current: 19, redelivered: true },
        { queue: 'b', current: 19, redelivered: false },
      ]),
    );
    expect(seen).toHaveLength(3);
    await transport.close();
  });

  it('dead-letters the event as published, whatever the handler did to its copy', async () => {
    const transport = await twoQueues();
    const wire = event();
    await transport.consume('a', { prefetch: 1, concurrency: 1 }, (d): Settlement => {
      dataOf(d).stockLevel.current = -100;
      return 'reject';
    });
    await transport.publish(toCarriedMessage(wire, options, STAMP));
    await transport.whenIdle();
    const [dead] = transport.peek('dlq');
    expect(dead!.body.toString('utf8')).toBe(JSON.stringify(wire));
    expect(dataOf(dead!).stockLevel.current).toBe(19);
    await transport.close();
  });

  it('keeps what was published when the publisher changes its objects afterwards', async () => {
    const transport = await twoQueues();
    const wire = event();
    const text = JSON.stringify(wire);
    await transport.publish(toCarriedMessage(wire, options, STAMP));
    (wire.data as { stockLevel: { current: number } }).stockLevel.current = 0;
    wire.tenantid = 'someone-else';
    const got = await transport.get('a');
    expect(got!.delivery.body.toString('utf8')).toBe(text);
    expect(got!.delivery.event).toEqual(JSON.parse(text));
    await transport.close();
  });

  it('vouches for an event only when nothing had to be converted on the way to its snapshot', () => {
    const plain = toCarriedMessage(event(), options, STAMP);
    expect(plain.event!.validatedBy).toBe(STAMP);
    const dated = event();
    (dated.data as Record<string, unknown>).at = new Date(Date.UTC(2026, 2, 1));
    const converted = toCarriedMessage(dated, options, STAMP);
    expect(converted.event!.validatedBy).toBeUndefined();
    expect((converted.event!.copy().data as { at: unknown }).at).toBe('2026-03-01T00:00:00.000Z');
    const broken = { ...event(), id: '' };
    expect(toCarriedMessage(broken, options, STAMP).event!.validatedBy).toBeUndefined();
  });
});
