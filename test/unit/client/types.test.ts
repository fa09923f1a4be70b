/**
 * The client's and the NestJS event classes' types, checked by the type-checker (`npm run
 * typecheck`): a wrong field of a known type is a compile error, a right one compiles.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { StokcerdasClient, StokEvent, EventTypes } from 'stokcerdas/client';
import { StockLevelChangedEvent, OrderPaidEvent, type EventHandler } from 'stokcerdas/nestjs';

declare const client: StokcerdasClient;
const context = { tenantId: 't-1' };

describe('typed publishing', () => {
  it('checks a known type\'s payload and types the returned event', () => {
    const ok = () =>
      client.publish('inventory.stock.level.changed', {
        productData: { id: 'P' },
        locationData: { id: 'L' },
        stockMovement: { type: 'sale', quantity: -1 },
        stockLevel: { previous: 2, current: 1 },
      });
    expectTypeOf(ok).returns.resolves.toEqualTypeOf<StokEvent<EventTypes['inventory.stock.level.changed']>>();
    // @ts-expect-error the flat shape is not the canonical payload
    void (() => client.publish('inventory.stock.level.changed', { productId: 'P', newLevel: 1 }));
    // @ts-expect-error a misspelt movement type
    void (() => client.publish('inventory.stock.level.changed', { productData: { id: 'P' }, locationData: { id: 'L' }, stockMovement: { type: 'sold', quantity: -1 }, stockLevel: { previous: 2, current: 1 } }));
    // an unknown type takes anything
    void (() => client.publish('warung.kopi.brewed', { cups: 5 }));
  });

  it('checks each batch item against its own type', () => {
    void (() => client.publishBatch([
      { type: 'orders.order.created', data: { orderData: { id: 'O' } } },
      { type: 'inventory.stock.out', data: { productData: { id: 'P' }, locationData: { id: 'L' }, stockLevel: { current: 0 } } },
    ]));
    // @ts-expect-error the second item's data is an order's, not a stock alert's
    void (() => client.publishBatch([{ type: 'orders.order.created', data: { orderData: { id: 'O' } } }, { type: 'inventory.stock.out', data: { orderData: { id: 'O' } } }]));
  });

  it('types the seed event classes from the catalog', () => {
    const event = new StockLevelChangedEvent(context, { id: 'P' }, { id: 'L', province: 'ID-JK' }, { type: 'in', quantity: 4 }, { previous: 0, current: 4 });
    expectTypeOf(event.toPayload()).toEqualTypeOf<EventTypes['inventory.stock.level.changed']>();
    expectTypeOf(event.productData.id).toEqualTypeOf<string>();
    // @ts-expect-error stockLevel needs previous and current
    void new StockLevelChangedEvent(context, { id: 'P' }, { id: 'L' }, { type: 'in', quantity: 4 }, { current: 4 });
    // @ts-expect-error the seed's context names the tenant
    void new OrderPaidEvent({ userId: 'u' }, { id: 'O' });
    const handler: EventHandler<StockLevelChangedEvent> = { handle: (e) => void e.stockMovement.quantity };
    expectTypeOf(handler.handle).parameter(0).toEqualTypeOf<StockLevelChangedEvent>();
  });
});
