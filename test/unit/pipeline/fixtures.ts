import { definePlugin, NonRetryableError } from 'stokcerdas';
import type { HandlerDefinition } from 'stokcerdas';

export const stockChanged = (over: Record<string, unknown> = {}) => ({
  productId: 'SKU-1',
  productName: 'Beras 5kg',
  locationId: 'WH-JKT',
  previousLevel: 20,
  newLevel: 4,
  quantityChanged: -16,
  reorderPoint: 10,
  tenantId: 't1',
  ...over,
});

/** A plugin with one handler on inventory.stock.level.changed; `handle` is the behaviour under test. */
export function pluginWith(handle: HandlerDefinition['handle'], extra: Partial<HandlerDefinition> = {}, name = 'probe') {
  return definePlugin({
    name,
    version: '1.0.0',
    handlers: {
      watch: { subscribe: { routingKeys: ['inventory.stock.level.changed'] }, ...extra, handle },
    },
  });
}

export const alwaysFails = pluginWith(() => {
  throw new Error('warehouse API down');
});

export const rejectsForGood = pluginWith(() => {
  throw new NonRetryableError('product was deleted');
});
