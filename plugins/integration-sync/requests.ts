import type { EventTypes as Payloads, StokEvent } from 'stokcerdas';
import { z } from 'zod';
import type { SyncRequest } from './events.ts';

/**
 * Domain event → what a sales channel needs to know, normalised once so every adapter sees the
 * same small shape: a stock level for a product at a location, or an order's new status. Read from
 * the canonical payloads (a version 1 flat payload arrives upcast).
 */

export type StockChanged = Payloads['inventory.stock.level.changed'];
export type OrderChanged =
  | Payloads['orders.order.created']
  | Payloads['orders.order.paid']
  | Payloads['orders.order.shipped']
  | Payloads['orders.order.delivered']
  | Payloads['orders.order.completed']
  | Payloads['orders.order.cancelled'];

/** What a request keeps of its source event. */
type Source<T> = Pick<StokEvent<T>, 'id' | 'type' | 'time' | 'tenantid' | 'data'>;

const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function base(target: string, kind: SyncRequest['kind'], event: Source<unknown>, data: Record<string, unknown>): SyncRequest {
  return {
    target,
    kind,
    sourceEventId: event.id,
    sourceEventType: event.type,
    occurredAt: event.time,
    ...(event.tenantid ? { tenantId: event.tenantid } : {}),
    data,
  };
}

export function stockRequest(target: string, event: Source<StockChanged>): SyncRequest {
  const { productData, locationData, stockLevel, stockMovement } = event.data;
  return base(target, 'stock', event, defined({
    productId: productData.id,
    sku: productData.sku,
    locationId: locationData.id,
    quantity: stockLevel.current,
    previousQuantity: stockLevel.previous,
    movementType: stockMovement.type,
  }));
}

/** What a version 1 (flat) order had at its top and the upcaster kept there. */
const carriedShipping = z.object({ trackingNumber: z.string().optional(), courier: z.string().optional() });

export function orderRequest(target: string, event: Source<OrderChanged>): SyncRequest {
  const d = event.data;
  const parsed = carriedShipping.safeParse(d);
  const carried = parsed.success ? parsed.data : {};
  const fulfillment = 'fulfillmentData' in d ? d.fulfillmentData : undefined;
  // orders.order.paid → paid: the status word is the type's last segment
  return base(target, 'order-status', event, defined({
    orderId: d.orderData.id,
    orderNumber: d.orderData.orderNumber,
    status: event.type.slice(event.type.lastIndexOf('.') + 1),
    channel: d.orderData.channel,
    totalAmount: d.orderData.totalAmount,
    trackingNumber: fulfillment?.trackingNumber ?? carried.trackingNumber,
    courier: fulfillment?.carrier ?? carried.courier,
    reason: 'reason' in d ? d.reason : undefined,
  }));
}

/** What a newer change replaces: the same product at the same location, or the same order. */
export function subjectKey(req: Pick<SyncRequest, 'kind' | 'tenantId' | 'data'>): string {
  const d = req.data;
  return req.kind === 'stock' ? `${req.tenantId ?? ''}|stock|${String(d.productId)}|${String(d.locationId)}` : `${req.tenantId ?? ''}|order|${String(d.orderId)}`;
}

/** AMQP topic matching: `*` is one word, `#` zero or more. */
export function matchesTopic(pattern: string, type: string): boolean {
  const p = pattern.split('.');
  const t = type.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === t.length;
    if (p[i] === '#') return match(i + 1, j) || (j < t.length && match(i, j + 1));
    return j < t.length && (p[i] === '*' || p[i] === t[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}
