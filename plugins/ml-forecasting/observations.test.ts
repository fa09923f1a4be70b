import { describe, expect, it } from 'vitest';
import type { StokEvent } from 'stokcerdas';
import { fromCompletedOrder, fromStockMovement, localDate } from './observations.ts';
import { mlForecastingOptionsSchema } from './options.ts';

const options = mlForecastingOptionsSchema.parse({});

function event<T>(type: string, data: T, time: string, timezone = 'Asia/Jakarta', tenantid?: string): StokEvent<T> {
  return {
    specversion: '1.0',
    id: `evt-${Math.random().toString(36).slice(2)}`,
    source: 'urn:test',
    type,
    time,
    datacontenttype: 'application/json',
    data,
    ...(tenantid ? { tenantid } : {}),
    context: { timezone, geographicContext: { timeZone: 'WIB' }, businessHours: true, ramadanSeason: false, culturalFactors: { seasonalFactor: 1 } },
  };
}

const movement = { productId: 'P', locationId: 'L', previousLevel: 10, newLevel: 7, quantityChanged: -3, movementType: 'sale' };

describe('observations from events', () => {
  it('counts a sale on the local day of the store, not the UTC day', () => {
    // 23:30 UTC on the 4th is 06:30 on the 5th in Jayapura (WIT) and 06:30 … 07:30 in WIB/WITA
    const wit = fromStockMovement(event('inventory.stock.level.changed', movement, '2026-01-04T23:30:00Z', 'Asia/Jayapura'), options);
    expect(wit.demand[0]).toMatchObject({ date: '2026-01-05', quantity: 3, tenantId: 'default' });
    expect(localDate('2026-01-04T16:30:00Z', 'Asia/Jakarta')).toBe('2026-01-04');
    expect(localDate('2026-01-04T17:30:00Z', 'Asia/Jakarta')).toBe('2026-01-05');
  });

  it('records the stock level of every movement, demand only for the configured movement types', () => {
    const restock = fromStockMovement(event('inventory.stock.level.changed', { ...movement, quantityChanged: 5, newLevel: 15, movementType: 'in' }, '2026-01-04T05:00:00Z'), options);
    expect(restock).toMatchObject({ demand: [], levels: [{ level: 15, at: '2026-01-04T05:00:00.000Z' }] });
    const untyped = fromStockMovement(event('inventory.stock.level.changed', { ...movement, movementType: undefined }, '2026-01-04T05:00:00Z'), options);
    expect(untyped.demand).toEqual([]);
    const damaged = mlForecastingOptionsSchema.parse({ demandMovementTypes: ['sale', 'damaged'] });
    expect(fromStockMovement(event('inventory.stock.level.changed', { ...movement, movementType: 'damaged' }, '2026-01-04T05:00:00Z'), damaged).demand).toHaveLength(1);
  });

  it('names the order as the origin of both sources, per product, with the quantities of its lines summed', () => {
    const order = { orderId: 'O-1', items: [{ productId: 'P', quantity: 2 }, { productId: 'P', quantity: 1 }, { productId: 'Q', quantity: 4 }] };
    const fromOrder = fromCompletedOrder(event('orders.order.completed', order, '2026-01-04T05:00:00Z', 'Asia/Jakarta', 't1'), options);
    expect(fromOrder.demand).toEqual([
      { tenantId: 't1', productId: 'P', locationId: 'default', origin: 'ref:t1:O-1:P', date: '2026-01-04', quantity: 3 },
      { tenantId: 't1', productId: 'Q', locationId: 'default', origin: 'ref:t1:O-1:Q', date: '2026-01-04', quantity: 4 },
    ]);
    const sale = fromStockMovement(event('inventory.stock.level.changed', { ...movement, referenceId: 'O-1' }, '2026-01-04T05:00:00Z', 'Asia/Jakarta', 't1'), options);
    expect(sale.demand[0].origin).toBe('ref:t1:O-1:P');
  });

  it('reads nothing from a source that is switched off', () => {
    const off = mlForecastingOptionsSchema.parse({ sources: { completedOrders: false } });
    expect(fromCompletedOrder(event('orders.order.completed', { orderId: 'O', items: [{ productId: 'P', quantity: 1 }] }, '2026-01-04T05:00:00Z'), off).demand).toEqual([]);
  });
});
