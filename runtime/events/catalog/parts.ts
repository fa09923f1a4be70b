import { z } from 'zod';

/**
 * The building blocks of the seed's event classes (`productData`, `locationData`, …). Schemas are
 * plain objects: a producer may add fields (they travel untouched, a check ignores them), while the
 * TypeScript types stay exact so a misspelt field is a compile error.
 */
export const id = z.string().min(1);
export const rupiah = z.number().int().min(0).describe('integer rupiah');
export const quantity = z.number().int();
export const timestamp = z.string().min(1).describe('RFC 3339 time');

/** The base context every seed event carries; on the wire it travels as CloudEvents extensions. */
export const baseContext = {
  tenantId: id.optional(),
  userId: id.optional(),
  correlationId: id.optional(),
};

export const productData = z.object({
  id: id.describe('product id'),
  sku: z.string().optional(),
  name: z.string().optional(),
  category: z.string().optional().describe('drives VAT class and seasonal demand'),
  unit: z.string().optional(),
  halalCertificateNumber: z.string().optional(),
});

export const locationData = z.object({
  id: id.describe('location (warehouse, shop) id'),
  name: z.string().optional(),
  province: z
    .string()
    .regex(/^ID-[A-Z]{2}$/, 'an ISO 3166-2:ID code like ID-JK')
    .optional()
    .describe('ISO 3166-2:ID; picks the event\'s time zone (WIB/WITA/WIT)'),
  city: z.string().optional(),
  warehouseId: z.string().optional(),
});

export const stockMovement = z.object({
  type: z.enum(['in', 'out', 'adjustment', 'transfer', 'sale', 'return', 'damaged', 'expired']),
  quantity: quantity.describe('signed: negative when stock leaves'),
  reason: z.string().optional(),
  referenceId: z.string().optional(),
});

export const stockLevel = z.object({
  previous: quantity.min(0),
  current: quantity.min(0),
  reorderPoint: quantity.min(0).optional(),
});

export const customerData = z.object({
  id: id.describe('customer id'),
  name: z.string().optional(),
  segment: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});

export const orderItem = z.object({
  productData,
  quantity: quantity.min(1),
  unitPrice: rupiah,
  luxury: z.boolean().optional().describe('luxury goods (PPnBM) are taxed at the full rate'),
});

export const orderData = z.object({
  id: id.describe('order id'),
  orderNumber: z.string().optional(),
  channel: z.string().optional().describe('sales channel: pos, web, tokopedia, shopee, …'),
  status: z.string().optional(),
  items: z.array(orderItem).optional(),
  totalAmount: rupiah.optional(),
  currency: z.literal('IDR').optional(),
  orderedAt: timestamp.optional(),
  deliveryDate: timestamp.optional().describe('the tax point for VAT when present'),
});

export const paymentData = z.object({
  id: z.string().optional(),
  method: z.string().optional().describe('qris, bank_transfer, ewallet, cod, card, …'),
  amount: rupiah,
  paidAt: timestamp.optional(),
  failureReason: z.string().optional(),
});

export const fulfillmentData = z.object({
  status: z.enum(['packed', 'shipped', 'delivered', 'returned']).optional(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  shippedAt: timestamp.optional(),
  deliveredAt: timestamp.optional(),
});

/** Drops keys whose value is undefined, so an upcast payload serialises as the producer would have written it. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

/** The fields of a flat payload an upcaster did not map, kept as they came (producers may add fields). */
export function rest(value: Record<string, unknown>, used: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (!used.includes(key)) out[key] = value[key];
  return out;
}
