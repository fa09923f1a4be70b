import { z } from 'zod';
import { EventVersions } from '../versions.ts';
import { baseContext, compact, id, locationData, productData, quantity, rest, stockLevel, stockMovement } from './parts.ts';

/**
 * Inventory events, shaped as the seed's classes nest them. Version 1 of each is the flat payload
 * the runtime accepted before (`productId`, `newLevel`, …): still accepted, lifted to version 2.
 */

/** the flat location fields of version 1, folded into `locationData` */
const flatLocation = z.object({ province: z.string().regex(/^ID-[A-Z]{2}$/).optional(), city: z.string().optional(), warehouseId: z.string().optional() });

const stockLevelChangedV1 = z.object({
  productId: id,
  productName: z.string().optional(),
  sku: z.string().optional(),
  locationId: id,
  locationName: z.string().optional(),
  locationData: flatLocation.optional(),
  previousLevel: quantity.min(0),
  newLevel: quantity.min(0),
  quantityChanged: quantity,
  movementType: stockMovement.shape.type.optional(),
  reason: z.string().optional(),
  referenceId: z.string().optional(),
  reorderPoint: quantity.min(0).optional(),
  unit: z.string().optional(),
  category: z.string().optional(),
  ...baseContext,
});

const stockLevelChangedV2 = z.object({ productData, locationData, stockMovement, stockLevel });

type FlatProduct = { productId: string; productName?: string; sku?: string; category?: string; unit?: string };
type FlatLocation = { locationId: string; locationName?: string; locationData?: z.input<typeof flatLocation> };

function productOf(v: FlatProduct): z.input<typeof productData> {
  return compact({ id: v.productId, sku: v.sku, name: v.productName, category: v.category, unit: v.unit });
}

function locationOf(v: FlatLocation): z.input<typeof locationData> {
  return compact({ ...v.locationData, id: v.locationId, name: v.locationName });
}

export const stockLevelChanged = EventVersions.of(stockLevelChangedV1).next(stockLevelChangedV2, (v1) => ({
  ...rest(v1, ['productId', 'productName', 'sku', 'locationId', 'locationName', 'locationData', 'previousLevel', 'newLevel', 'quantityChanged', 'movementType', 'reason', 'referenceId', 'reorderPoint', 'unit', 'category']),
  productData: productOf(v1),
  locationData: locationOf(v1),
  stockMovement: compact({
    type: v1.movementType ?? (v1.quantityChanged < 0 ? 'out' : v1.quantityChanged > 0 ? 'in' : 'adjustment'),
    quantity: v1.quantityChanged,
    reason: v1.reason,
    referenceId: v1.referenceId,
  }),
  stockLevel: compact({ previous: v1.previousLevel, current: v1.newLevel, reorderPoint: v1.reorderPoint }),
}));

const stockAlertV1 = z.object({
  productId: id,
  productName: z.string().optional(),
  locationId: id,
  locationData: flatLocation.optional(),
  currentLevel: quantity.min(0),
  reorderPoint: quantity.min(0).optional(),
  suggestedQuantity: quantity.min(0).optional(),
  ...baseContext,
});

const alertData = z.object({
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  suggestedQuantity: quantity.min(0).optional().describe('units to order (reorder suggestions)'),
  message: z.string().optional(),
});

const stockAlertV2 = z.object({
  productData,
  locationData,
  stockLevel: z.object({ current: quantity.min(0), reorderPoint: quantity.min(0).optional() }),
  alertData: alertData.optional(),
});

/** low stock, out of stock and reorder suggestions share one shape */
function stockAlert() {
  return EventVersions.of(stockAlertV1).next(stockAlertV2, (v1) => {
    const alert = v1.suggestedQuantity === undefined ? undefined : { suggestedQuantity: v1.suggestedQuantity };
    return compact({
      ...rest(v1, ['productId', 'productName', 'locationId', 'locationData', 'currentLevel', 'reorderPoint', 'suggestedQuantity']),
      productData: productOf(v1),
      locationData: locationOf(v1),
      stockLevel: compact({ current: v1.currentLevel, reorderPoint: v1.reorderPoint }),
      alertData: alert,
    });
  });
}

const transfer = z.object({
  productData,
  locationData: locationData.describe('where the stock leaves (its province picks the zone)'),
  destinationData: locationData.describe('where the stock arrives'),
  transferData: z.object({
    id: id.describe('transfer id'),
    quantity: quantity.min(1),
    status: z.enum(['requested', 'in_transit', 'completed', 'cancelled']).optional(),
    reason: z.string().optional(),
  }),
});

const productV1 = z.object({ productId: id, name: z.string().optional(), ...baseContext });
const productV2 = z.object({ productData });
const product = () =>
  EventVersions.of(productV1).next(productV2, (v1) => ({
    ...rest(v1, ['productId', 'name']),
    productData: compact({ id: v1.productId, name: v1.name }),
  }));

/** The seed's direct-broker example (`MessageBrokerService.publishMessage` with `stock_update`). */
const stockUpdate = z.object({
  productId: id,
  newStock: quantity.min(0),
  locationId: id,
  ...baseContext,
});

export const inventoryEvents = {
  'inventory.stock.level.changed': stockLevelChanged,
  'inventory.stock.low': stockAlert(),
  'inventory.stock.out': stockAlert(),
  'inventory.alert.reorder.suggested': stockAlert(),
  'inventory.transfer.requested': EventVersions.of(transfer),
  'inventory.transfer.completed': EventVersions.of(transfer),
  'inventory.product.created': product(),
  'inventory.product.updated': product(),
  'inventory.stock.update': EventVersions.of(stockUpdate),
};
