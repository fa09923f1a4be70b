import { describe, expect, it } from 'vitest';
import { decodeDelivery } from '../../../runtime/events/codec.ts';
import { SchemaRegistry } from '../../../runtime/events/schemas.ts';
import { seedEnvelope } from '../../../runtime/events/seed-envelope.ts';
import { PoisonMessageError } from '../../../runtime/errors.ts';
import type { Delivery } from '../../../runtime/transport/contract.ts';

const registry = new SchemaRegistry();
const now = () => Date.parse('2026-03-02T03:00:00Z');

/** What the seed's EventBusService serialises for a StockLevelChangedEvent. */
const seedSerialised = {
  eventId: 'evt-1',
  eventType: 'inventory.stock.level.changed',
  timestamp: '2026-03-02T02:15:00.000Z',
  tenantId: 'tenant-123',
  userId: 'user-456',
  correlationId: 'correlation-789',
  productData: { id: 'PROD-001', sku: 'BRS-5', name: 'Beras 5kg' },
  locationData: { id: 'LOC-001', name: 'Toko Denpasar', province: 'ID-BA' },
  stockMovement: { type: 'sale', quantity: -2 },
  stockLevel: { previous: 12, current: 10 },
};

function delivery(body: unknown, routingKey: string, properties: Delivery['properties'] = {}): Delivery {
  return { body: Buffer.from(JSON.stringify(body)), routingKey, exchange: 'stokcerdas.inventory.events', properties, headers: {}, redelivered: false } as unknown as Delivery;
}

describe('the seed envelope', () => {
  it('takes the ids, type and time from the top and leaves the domain parts as data', () => {
    const envelope = seedEnvelope(seedSerialised, (t) => registry.has(t))!;
    expect(envelope).toMatchObject({ id: 'evt-1', type: 'inventory.stock.level.changed', time: '2026-03-02T02:15:00.000Z', tenantId: 'tenant-123', userId: 'user-456', correlationId: 'correlation-789' });
    expect(Object.keys(envelope.data)).toEqual(['productData', 'locationData', 'stockMovement', 'stockLevel']);
  });

  it('is not found in a bare payload', () => {
    expect(seedEnvelope({ productId: 'P', newStock: 1, locationId: 'L' }, (t) => registry.has(t))).toBeUndefined();
    // an `id` and a `type` that is not an event type are domain fields, not an envelope
    expect(seedEnvelope({ id: 'x', type: 'sale', quantity: 1 }, (t) => registry.has(t))).toBeUndefined();
  });
});

describe('decoding plain JSON bodies', () => {
  it('turns a seed-serialised event into a CloudEvent with its ids, time and context extensions', () => {
    const event = decodeDelivery(delivery(seedSerialised, 'inventory.stock.level.changed'), registry, now);
    expect(event).toMatchObject({
      specversion: '1.0',
      id: 'evt-1',
      type: 'inventory.stock.level.changed',
      time: '2026-03-02T02:15:00.000Z',
      tenantid: 'tenant-123',
      userid: 'user-456',
      correlationid: 'correlation-789',
      data: { productData: { id: 'PROD-001' }, locationData: { province: 'ID-BA' }, stockLevel: { current: 10 } },
    });
    expect(event.data).not.toHaveProperty('eventId');
    expect(event.data).not.toHaveProperty('tenantId');
  });

  it('takes the type from eventType when the routing key differs', () => {
    const event = decodeDelivery(delivery(seedSerialised, 'inventory.stock.updates'), registry, now);
    expect(event.type).toBe('inventory.stock.level.changed');
  });

  it('accepts epoch milliseconds as the seed timestamp', () => {
    const event = decodeDelivery(delivery({ ...seedSerialised, timestamp: Date.parse('2026-03-02T02:15:00Z') }, 'x'), registry, now);
    expect(event.time).toBe('2026-03-02T02:15:00.000Z');
  });

  it('dead-letters a seed event whose timestamp is not a date, saying so', () => {
    expect(() => decodeDelivery(delivery({ ...seedSerialised, timestamp: 'yesterday' }, 'x'), registry, now)).toThrow(PoisonMessageError);
    expect(() => decodeDelivery(delivery({ ...seedSerialised, timestamp: 'yesterday' }, 'x'), registry, now)).toThrow(/timestamp/);
  });

  it('wraps the seed direct-broker message by its routing key', () => {
    const event = decodeDelivery(delivery({ productId: 'PROD-001', newStock: 100, locationId: 'LOC-001' }, 'inventory.stock.update', { messageId: 'm-1' }), registry, now);
    expect(event).toMatchObject({ id: 'm-1', type: 'inventory.stock.update', data: { newStock: 100 } });
  });

  it('upcasts a flat payload and stamps the version it now carries', () => {
    const event = decodeDelivery(
      delivery({ productId: 'P', locationId: 'L', previousLevel: 3, newLevel: 1, quantityChanged: -2 }, 'inventory.stock.level.changed'),
      registry,
      now,
    );
    expect(event.data).toEqual({ productData: { id: 'P' }, locationData: { id: 'L' }, stockMovement: { type: 'out', quantity: -2 }, stockLevel: { previous: 3, current: 1 } });
    expect(event.dataschema).toBe('urn:stokcerdas:event:inventory.stock.level.changed:v2');
  });

  it('upcasts a CloudEvent whose dataschema names version 1', () => {
    const ce = {
      specversion: '1.0',
      id: 'ce-1',
      source: 'urn:test',
      type: 'analytics.metric.recorded',
      dataschema: 'urn:stokcerdas:event:analytics.metric.recorded:v1',
      data: { metric: 'orders_per_hour', value: 42 },
    };
    const event = decodeDelivery(delivery(ce, 'analytics.metric.recorded'), registry, now);
    expect(event.data).toEqual({ metricData: { name: 'orders_per_hour', value: 42 } });
  });
});
