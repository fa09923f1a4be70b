import { definePlugin, NonRetryableError, type EventFor, type HandlerContext } from 'stokcerdas';

/** `inventory.stock.level.changed` in the canonical shape: 20 → `current` units (4 by default) of a reorder point of 10. */
export const stockChanged = (current = 4) => ({
  productData: { id: 'SKU-1', name: 'Beras 5kg' },
  locationData: { id: 'WH-JKT' },
  stockMovement: { type: 'sale' as const, quantity: current - 20 },
  stockLevel: { previous: 20, current, reorderPoint: 10 },
  // the seed's base context beside the parts: the publisher lifts it into the tenantid extension
  tenantId: 't1',
});

/** The same change as a version 1 (flat) payload, still accepted and upcast. */
export const legacyStockChanged = (newLevel = 4) => ({
  productId: 'SKU-1',
  productName: 'Beras 5kg',
  locationId: 'WH-JKT',
  previousLevel: 20,
  newLevel,
  quantityChanged: newLevel - 20,
  reorderPoint: 10,
  tenantId: 't1',
});

export type StockChangedEvent = EventFor<'inventory.stock.level.changed'>;

/** A plugin with one handler on inventory.stock.level.changed; `handle` is the behaviour under test. */
export function pluginWith(handle: (event: StockChangedEvent, ctx: HandlerContext) => Promise<void> | void, extra: { timeoutMs?: number } = {}, name = 'probe') {
  return definePlugin({
    name,
    version: '1.0.0',
    handlers: {
      watch: { subscribe: { routingKeys: ['inventory.stock.level.changed'] }, ...extra, handle },
    },
  });
}

/** The same, batching: `handle` receives the events of a batch. */
export function batchPluginWith(handle: (events: StockChangedEvent[], ctx: HandlerContext) => Promise<void> | void, batch: { size: number; flushMs: number }, name = 'probe') {
  return definePlugin({
    name,
    version: '1.0.0',
    handlers: {
      watch: { subscribe: { routingKeys: ['inventory.stock.level.changed'] }, batch, handle },
    },
  });
}

export const alwaysFails = pluginWith(() => {
  throw new Error('warehouse API down');
});

export const rejectsForGood = pluginWith(() => {
  throw new NonRetryableError('product was deleted');
});
