import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Rejection, SchemaRegistry } from '../../../runtime/events/schemas.ts';
import { EventVersions, dataschemaOf, versionNamed } from '../../../runtime/events/versions.ts';

const seedStockChange = {
  productData: { id: 'SKU-1', sku: 'BRS-5', name: 'Beras 5kg' },
  locationData: { id: 'WH-MKS', name: 'Gudang Makassar', province: 'ID-SN' },
  stockMovement: { type: 'sale', quantity: -4 },
  stockLevel: { previous: 20, current: 16 },
};

const flatStockChange = {
  productId: 'SKU-1',
  productName: 'Beras 5kg',
  sku: 'BRS-5',
  locationId: 'WH-MKS',
  locationData: { province: 'ID-SN' },
  previousLevel: 20,
  newLevel: 16,
  quantityChanged: -4,
  movementType: 'sale',
  reorderPoint: 10,
};

describe('the schema registry', () => {
  const registry = new SchemaRegistry();

  it('returns a payload already in the newest shape as it came', () => {
    expect(registry.accept('inventory.stock.level.changed', seedStockChange)).toBe(seedStockChange);
  });

  it('lifts the flat version-1 payload to the seed shape', () => {
    expect(registry.accept('inventory.stock.level.changed', flatStockChange)).toEqual({
      productData: { id: 'SKU-1', sku: 'BRS-5', name: 'Beras 5kg' },
      locationData: { id: 'WH-MKS', province: 'ID-SN' },
      stockMovement: { type: 'sale', quantity: -4 },
      stockLevel: { previous: 20, current: 16, reorderPoint: 10 },
    });
  });

  it('infers the movement type of a flat payload without one from the sign of the change', () => {
    const { movementType: _, ...noType } = flatStockChange;
    const lifted = registry.accept('inventory.stock.level.changed', noType) as typeof seedStockChange;
    expect(lifted.stockMovement).toEqual({ type: 'out', quantity: -4 });
  });

  it('keeps fields a producer added beside the ones it maps', () => {
    const lifted = registry.accept('inventory.stock.level.changed', { ...flatStockChange, batchNumber: 'B-7' }) as Record<string, unknown>;
    expect(lifted.batchNumber).toBe('B-7');
  });

  it('lifts flat orders, items included, to orderData and customerData', () => {
    const lifted = registry.accept('orders.order.created', {
      orderId: 'ORD-1',
      customerId: 'C-9',
      items: [{ productId: 'P-1', quantity: 2, unitPrice: 15_000, category: 'sembako' }],
      totalAmount: 30_000,
      locationId: 'SHOP-1',
      locationData: { province: 'ID-BA' },
    });
    expect(lifted).toEqual({
      orderData: { id: 'ORD-1', items: [{ productData: { id: 'P-1', category: 'sembako' }, quantity: 2, unitPrice: 15_000 }], totalAmount: 30_000 },
      customerData: { id: 'C-9' },
      locationData: { id: 'SHOP-1', province: 'ID-BA' },
    });
  });

  it('lists every problem against the newest shape when no version accepts the payload', () => {
    const out = registry.accept('inventory.stock.level.changed', { productData: { id: '' }, stockLevel: { previous: 1 } });
    expect(out).toBeInstanceOf(Rejection);
    expect((out as Rejection).problems).toEqual([
      expect.stringMatching(/^data\.productData\.id: /),
      expect.stringMatching(/^data\.locationData: /),
      expect.stringMatching(/^data\.stockMovement: /),
      expect.stringMatching(/^data\.stockLevel\.current: /),
      'data: matches no older version of inventory.stock.level.changed either (v1)',
    ]);
  });

  it('checks a payload against the version its dataschema names, and only that one', () => {
    const v1 = dataschemaOf('inventory.stock.level.changed', 1);
    expect(registry.accept('inventory.stock.level.changed', flatStockChange, v1)).toMatchObject({ stockLevel: { current: 16 } });
    const refused = registry.accept('inventory.stock.level.changed', seedStockChange, v1) as Rejection;
    expect(refused.problems[0]).toMatch(/^data\.productId: .*\(version 1\)$/);
    const v2 = dataschemaOf('inventory.stock.level.changed', 2);
    expect(registry.accept('inventory.stock.level.changed', flatStockChange, v2)).toBeInstanceOf(Rejection);
  });

  it('refuses a dataschema naming a version the type does not have', () => {
    const out = registry.accept('inventory.stock.level.changed', seedStockChange, 'urn:stokcerdas:event:inventory.stock.level.changed:v7') as Rejection;
    expect(out.problems).toEqual(['dataschema: names version 7 of inventory.stock.level.changed, known versions are 1, 2']);
  });

  it('ignores a foreign dataschema and recognises the payload by its shape', () => {
    expect(registry.accept('inventory.stock.level.changed', flatStockChange, 'https://schemas.example/stock.json')).toMatchObject({ productData: { id: 'SKU-1' } });
  });

  it('accepts anything for a type it does not know', () => {
    const payload = { any: 'thing' };
    expect(registry.accept('legacy.thing.happened', payload)).toBe(payload);
  });

  it('knows the seed direct-broker message inventory.stock.update', () => {
    expect(registry.accept('inventory.stock.update', { productId: 'PROD-001', newStock: 100, locationId: 'LOC-001' })).toEqual({
      productId: 'PROD-001',
      newStock: 100,
      locationId: 'LOC-001',
    });
    expect(registry.accept('inventory.stock.update', { productId: 'PROD-001' })).toBeInstanceOf(Rejection);
  });

  it('runs a plugin type through three versions, each upcaster in turn', () => {
    const own = new SchemaRegistry({});
    own.register(
      'loyalty.points.awarded',
      EventVersions.of(z.object({ customer: z.string(), pts: z.number() }))
        .next(z.object({ customerId: z.string(), points: z.number() }), (v1) => ({ customerId: v1.customer, points: v1.pts }))
        .next(z.object({ customerData: z.object({ id: z.string() }), points: z.number() }), (v2) => ({ customerData: { id: v2.customerId }, points: v2.points })),
    );
    expect(own.versionOf('loyalty.points.awarded')).toBe(3);
    expect(own.dataschemaOf('loyalty.points.awarded')).toBe('urn:stokcerdas:event:loyalty.points.awarded:v3');
    expect(own.accept('loyalty.points.awarded', { customer: 'C-1', pts: 5 })).toEqual({ customerData: { id: 'C-1' }, points: 5 });
    expect(own.accept('loyalty.points.awarded', { customerId: 'C-1', points: 5 })).toEqual({ customerData: { id: 'C-1' }, points: 5 });
  });

  it('reports an upcaster whose output does not fit the next version', () => {
    const own = new SchemaRegistry({});
    own.register('x.y.z', EventVersions.of(z.object({ a: z.string() })).next(z.object({ b: z.number() }), () => ({ b: 'oops' as unknown as number })));
    expect((own.accept('x.y.z', { a: 'v1' }) as Rejection).problems).toEqual([expect.stringMatching(/^data\.b: .*\(after upcasting from version 1\)$/)]);
  });
});

describe('dataschema URIs', () => {
  it('name a type and version, and are read back only for that type', () => {
    const uri = dataschemaOf('orders.order.paid', 2);
    expect(uri).toBe('urn:stokcerdas:event:orders.order.paid:v2');
    expect(versionNamed('orders.order.paid', uri)).toBe(2);
    expect(versionNamed('orders.order.created', uri)).toBeUndefined();
    expect(versionNamed('orders.order.paid', undefined)).toBeUndefined();
  });
});
