import { describe, expect, it } from 'vitest';
import type { StokEvent } from 'stokcerdas';
import { fromCompletedOrder, fromStockMovement, localDate, type StockLevelChanged } from './observations.ts';
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

type MovementType = StockLevelChanged['stockMovement']['type'];

/** A stock movement of `quantity` (signed) from `previous`, canonical shape. */
function movement(quantity: number, type: MovementType = 'sale', previous = 10, referenceId?: string): StockLevelChanged {
  return {
    productData: { id: 'P' },
    locationData: { id: 'L' },
    stockMovement: { type, quantity, ...(referenceId ? { referenceId } : {}) },
    stockLevel: { previous, current: previous + quantity },
  };
}

const order = (id: string, lines: [productId: string, quantity: number][]) => ({
  orderData: { id, items: lines.map(([productId, quantity]) => ({ productData: { id: productId }, quantity, unitPrice: 1_000 })) },
});

describe('observations from events', () => {
  it('counts a sale on the local day of the store, not the UTC day', () => {
    // 23:30 UTC on the 4th is 06:30 on the 5th in Jayapura (WIT) and 06:30 … 07:30 in WIB/WITA
    const wit = fromStockMovement(event('inventory.stock.level.changed', movement(-3), '2026-01-04T23:30:00Z', 'Asia/Jayapura'), options);
    expect(wit.demand[0]).toMatchObject({ date: '2026-01-05', quantity: 3, tenantId: 'default' });
    expect(localDate('2026-01-04T16:30:00Z', 'Asia/Jakarta')).toBe('2026-01-04');
    expect(localDate('2026-01-04T17:30:00Z', 'Asia/Jakarta')).toBe('2026-01-05');
  });

  it('records the stock level of every movement, demand only for the configured movement types', () => {
    const restock = fromStockMovement(event('inventory.stock.level.changed', movement(5, 'in'), '2026-01-04T05:00:00Z'), options);
    expect(restock).toMatchObject({ demand: [], levels: [{ level: 15, at: '2026-01-04T05:00:00.000Z' }] });
    const adjusted = fromStockMovement(event('inventory.stock.level.changed', movement(-3, 'adjustment'), '2026-01-04T05:00:00Z'), options);
    expect(adjusted.demand).toEqual([]);
    const damaged = mlForecastingOptionsSchema.parse({ demandMovementTypes: ['sale', 'damaged'] });
    expect(fromStockMovement(event('inventory.stock.level.changed', movement(-3, 'damaged'), '2026-01-04T05:00:00Z'), damaged).demand).toHaveLength(1);
    expect(fromStockMovement(event('inventory.stock.level.changed', movement(-3, 'damaged'), '2026-01-04T05:00:00Z'), options).demand).toEqual([]);
  });

  it('names the order as the origin of both sources, per product, with the quantities of its lines summed', () => {
    const completed = order('O-1', [['P', 2], ['P', 1], ['Q', 4]]);
    const fromOrder = fromCompletedOrder(event('orders.order.completed', completed, '2026-01-04T05:00:00Z', 'Asia/Jakarta', 't1'), options);
    expect(fromCompletedOrder(event('orders.order.completed', { ...completed, locationData: { id: 'WH-2' } }, '2026-01-04T05:00:00Z'), options).demand[0]).toMatchObject({ locationId: 'WH-2', tenantId: 'default' });
    expect(fromOrder.demand).toEqual([
      { tenantId: 't1', productId: 'P', locationId: 'default', origin: 'ref:t1:O-1:P', date: '2026-01-04', quantity: 3 },
      { tenantId: 't1', productId: 'Q', locationId: 'default', origin: 'ref:t1:O-1:Q', date: '2026-01-04', quantity: 4 },
    ]);
    const sale = fromStockMovement(event('inventory.stock.level.changed', movement(-3, 'sale', 10, 'O-1'), '2026-01-04T05:00:00Z', 'Asia/Jakarta', 't1'), options);
    expect(sale.demand[0].origin).toBe('ref:t1:O-1:P');
  });

  it('reads nothing from a source that is switched off', () => {
    const off = mlForecastingOptionsSchema.parse({ sources: { completedOrders: false } });
    expect(fromCompletedOrder(event('orders.order.completed', order('O', [['P', 1]]), '2026-01-04T05:00:00Z'), off).demand).toEqual([]);
  });
});
