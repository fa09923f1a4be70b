import { z } from 'zod';
import { EventVersions } from '../versions.ts';
import { baseContext, compact, customerData, fulfillmentData, id, locationData, orderData, paymentData, quantity, rest, rupiah, timestamp } from './parts.ts';

/**
 * Order events: lifecycle (created … cancelled), payments and fulfilment. The seed names these
 * categories without their fields; they follow its style: `orderData`, `customerData`,
 * `paymentData`, `fulfillmentData`, and `locationData` for the selling location (its province
 * picks the zone). Version 1 is the flat payload accepted before, lifted to version 2.
 */

const flatItem = z.object({
  productId: id,
  productName: z.string().optional(),
  quantity: quantity.min(1),
  unitPrice: rupiah,
  category: z.string().optional(),
  luxury: z.boolean().optional(),
  halalCertificateNumber: z.string().optional(),
});

const orderV1 = z.object({
  orderId: id,
  orderNumber: z.string().optional(),
  customerId: z.string().optional(),
  channel: z.string().optional(),
  items: z.array(flatItem).optional(),
  totalAmount: rupiah.optional(),
  currency: z.literal('IDR').optional(),
  status: z.string().optional(),
  orderedAt: z.string().optional(),
  deliveryDate: z.string().optional(),
  locationId: z.string().optional(),
  locationData: z.object({ province: z.string().regex(/^ID-[A-Z]{2}$/).optional(), city: z.string().optional(), warehouseId: z.string().optional() }).optional(),
  reason: z.string().optional(),
  ...baseContext,
});

const lifecycle = {
  orderData,
  customerData: customerData.optional(),
  locationData: locationData.optional(),
};

const orderV2 = z.object(lifecycle);
const paidV2 = z.object({ ...lifecycle, paymentData: paymentData.optional() });
const fulfilledV2 = z.object({ ...lifecycle, fulfillmentData: fulfillmentData.optional() });
const cancelledV2 = z.object({ ...lifecycle, reason: z.string().optional() });

type OrderV1 = z.input<typeof orderV1>;

function lift(v1: OrderV1): z.input<typeof orderV2> & Record<string, unknown> {
  const items = v1.items?.map((item) => ({
    ...rest(item, ['productId', 'productName', 'category', 'halalCertificateNumber', 'quantity', 'unitPrice', 'luxury']),
    ...compact({
      productData: compact({ id: item.productId, name: item.productName, category: item.category, halalCertificateNumber: item.halalCertificateNumber }),
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      luxury: item.luxury,
    }),
  }));
  const location = v1.locationId === undefined ? undefined : compact({ ...v1.locationData, id: v1.locationId });
  return compact({
    ...rest(v1, ['orderId', 'orderNumber', 'customerId', 'channel', 'items', 'totalAmount', 'currency', 'status', 'orderedAt', 'deliveryDate', 'locationId', 'locationData', 'reason']),
    orderData: compact({
      id: v1.orderId,
      orderNumber: v1.orderNumber,
      channel: v1.channel,
      status: v1.status,
      items,
      totalAmount: v1.totalAmount,
      currency: v1.currency,
      orderedAt: v1.orderedAt,
      deliveryDate: v1.deliveryDate,
    }),
    customerData: v1.customerId === undefined ? undefined : { id: v1.customerId },
    locationData: location as z.input<typeof locationData> | undefined,
  });
}

const order = () => EventVersions.of(orderV1).next(orderV2, lift);

const payment = z.object({ orderData, customerData: customerData.optional(), locationData: locationData.optional(), paymentData });

const fulfillmentUpdated = z.object({
  orderData,
  locationData: locationData.optional(),
  fulfillmentData: fulfillmentData.extend({ status: fulfillmentData.shape.status.unwrap(), updatedAt: timestamp.optional() }),
});

export const orderEvents = {
  'orders.order.created': order(),
  'orders.order.paid': EventVersions.of(orderV1).next(paidV2, lift),
  'orders.order.shipped': EventVersions.of(orderV1).next(fulfilledV2, lift),
  'orders.order.delivered': EventVersions.of(orderV1).next(fulfilledV2, lift),
  'orders.order.completed': order(),
  'orders.order.cancelled': EventVersions.of(orderV1).next(cancelledV2, (v1) => compact({ ...lift(v1), reason: v1.reason })),
  'orders.payment.received': EventVersions.of(payment),
  'orders.payment.failed': EventVersions.of(payment),
  'orders.fulfillment.updated': EventVersions.of(fulfillmentUpdated),
};
