/**
 * Type tests: `npm run typecheck` (tsc, run by CI) checks this file. A `@ts-expect-error` line
 * proves the type-checker refuses what follows it; the run-time test below only keeps vitest
 * from reporting an empty file. What is proven here is compile-time behaviour.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, type StokEvent } from 'stokcerdas';
import type { IndonesianCalendar } from 'stokcerdas/context';
import type { TestBus } from 'stokcerdas/testing';

declare module 'stokcerdas' {
  interface EventTypes {
    'loyalty.points.awarded': { customerId: string; points: number };
  }
  interface ServiceTypes {
    'loyalty-ledger': { balance(customerId: string): number };
  }
}

const plugin = definePlugin({
  name: 'typed',
  version: '1.0.0',
  options: z.object({ threshold: z.number().int().default(10), channel: z.enum(['sms', 'email']).default('sms') }),
  events: { 'typed.check.done': z.object({ productId: z.string(), ok: z.boolean() }) },
  handlers: {
    stock: {
      subscribe: { routingKeys: ['inventory.stock.level.changed'] },
      handle(event, ctx) {
        expectTypeOf(event.type).toEqualTypeOf<'inventory.stock.level.changed'>();
        expectTypeOf(event.data.productData.id).toEqualTypeOf<string>();
        expectTypeOf(event.data.stockLevel.current).toEqualTypeOf<number>();
        expectTypeOf(event.data.locationData.province).toEqualTypeOf<string | undefined>();
        // @ts-expect-error the flat field of version 1 is not on the canonical shape
        void event.data.productId;
        expectTypeOf(ctx.options).toEqualTypeOf<{ threshold: number; channel: 'sms' | 'email' }>();
        expectTypeOf(ctx.resolve('calendar')).toEqualTypeOf<IndonesianCalendar>();
        expectTypeOf(ctx.resolve('loyalty-ledger').balance).toBeFunction();
        expectTypeOf(ctx.resolve('something-else')).toBeUnknown();

        ctx.publish('inventory.stock.low', {
          productData: { id: 'SKU-1' },
          locationData: { id: 'WH-1' },
          stockLevel: { current: 3, reorderPoint: 10 },
        });
        // @ts-expect-error a required part is missing
        ctx.publish('inventory.stock.low', { productData: { id: 'SKU-1' }, locationData: { id: 'WH-1' } });
        // @ts-expect-error a field of the wrong type
        ctx.publish('inventory.stock.low', { productData: { id: 1 }, locationData: { id: 'WH-1' }, stockLevel: { current: 3 } });
        // @ts-expect-error a misspelt field
        ctx.publish('inventory.stock.low', { productData: { id: 'SKU-1' }, locationData: { id: 'WH-1' }, stockLevel: { curent: 3 } });
        ctx.publish('typed.check.done', { productId: 'SKU-1', ok: true });
        // @ts-expect-error the plugin's own event type is checked too
        ctx.publish('typed.check.done', { productId: 'SKU-1', ok: 'yes' });
        ctx.publish('loyalty.points.awarded', { customerId: 'C-1', points: 10 });
        // @ts-expect-error a type added by declaration merging is checked
        ctx.publish('loyalty.points.awarded', { customerId: 'C-1' });
        // an unknown type takes any payload
        ctx.publish('some.other.thing', { whatever: true });
      },
    },
    orders: {
      subscribe: { routingKeys: ['orders.order.*'] },
      handle(event) {
        expectTypeOf(event.type).toEqualTypeOf<
          'orders.order.created' | 'orders.order.paid' | 'orders.order.shipped' | 'orders.order.delivered' | 'orders.order.completed' | 'orders.order.cancelled'
        >();
        expectTypeOf(event.data.orderData.id).toEqualTypeOf<string>();
        if (event.type === 'orders.order.paid') expectTypeOf(event.data.paymentData?.amount).toEqualTypeOf<number | undefined>();
        // @ts-expect-error only paid orders carry paymentData
        void event.data.paymentData;
      },
    },
    everything: {
      subscribe: { routingKeys: ['inventory.#'] },
      batch: { size: 50, flushMs: 1_000 },
      handle(events) {
        expectTypeOf(events).toBeArray();
        for (const event of events) {
          if (event.type === 'inventory.transfer.completed') expectTypeOf(event.data.destinationData.id).toEqualTypeOf<string>();
        }
      },
    },
    own: {
      subscribe: { routingKeys: ['typed.check.done', 'loyalty.points.awarded'] },
      handle(event) {
        if (event.type === 'typed.check.done') expectTypeOf(event.data.ok).toEqualTypeOf<boolean>();
        else expectTypeOf(event.data.points).toEqualTypeOf<number>();
      },
    },
    unknownTypes: {
      subscribe: { exchange: 'broadcast.fanout', routingKeys: ['legacy.thing.happened'] },
      handle(event) {
        expectTypeOf(event).toEqualTypeOf<StokEvent<unknown>>();
        // @ts-expect-error an unknown type's payload is unknown, never any
        void event.data.anything;
      },
    },
  },
});

/** never called: the type-checker reads it */
export function publishTypes(bus: TestBus): void {
  void bus.publish('inventory.stock.level.changed', {
    productData: { id: 'SKU-1' },
    locationData: { id: 'WH-1', province: 'ID-JK' },
    stockMovement: { type: 'in', quantity: 5 },
    stockLevel: { previous: 1, current: 6 },
  });
  // the flat version-1 payload is still accepted (upcast before it is sent)
  void bus.publish('inventory.stock.level.changed', { productId: 'SKU-1', locationId: 'WH-1', previousLevel: 1, newLevel: 6, quantityChanged: 5 });
  // @ts-expect-error half of one version and half of the other fits neither
  void bus.publish('inventory.stock.level.changed', { productData: { id: 'SKU-1' }, locationId: 'WH-1', previousLevel: 1, newLevel: 6, quantityChanged: 5 });
  // @ts-expect-error a wrong field type
  void bus.publish('orders.order.created', { orderData: { id: 7 } });
  void bus.publish('custom.unknown.type', 42);
}

describe('plugin types', () => {
  it('are checked by the type-checker (npm run typecheck); definePlugin hands back the plugin as written', () => {
    expect(plugin.name).toBe('typed');
    expect(Object.keys(plugin.handlers)).toEqual(['stock', 'orders', 'everything', 'own', 'unknownTypes']);
  });
});
