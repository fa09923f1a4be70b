import type { SyncKind, SyncRequest } from './events.ts';

/**
 * Domain event → what a sales channel needs to know, normalised once so every adapter sees the
 * same small shape: a stock level for a product at a location, or an order's new status.
 */

interface StockChanged {
  productId: string;
  sku?: string;
  locationId: string;
  newLevel: number;
  previousLevel?: number;
  movementType?: string;
}

interface OrderEvent {
  orderId: string;
  orderNumber?: string;
  channel?: string;
  totalAmount?: number;
  trackingNumber?: string;
  courier?: string;
  reason?: string;
}

interface Source {
  id: string;
  type: string;
  time: string;
  tenantid?: string;
  data: unknown;
}

const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function requestFor(target: string, event: Source): SyncRequest {
  const kind: SyncKind = event.type.startsWith('inventory.') ? 'stock' : 'order-status';
  let data: Record<string, unknown>;
  if (kind === 'stock') {
    const d = event.data as StockChanged;
    data = defined({ productId: d.productId, sku: d.sku, locationId: d.locationId, quantity: d.newLevel, previousQuantity: d.previousLevel, movementType: d.movementType });
  } else {
    const d = event.data as OrderEvent;
    // orders.order.paid → paid: the status word is the type's last segment
    data = defined({
      orderId: d.orderId,
      orderNumber: d.orderNumber,
      status: event.type.slice(event.type.lastIndexOf('.') + 1),
      channel: d.channel,
      totalAmount: d.totalAmount,
      trackingNumber: d.trackingNumber,
      courier: d.courier,
      reason: d.reason,
    });
  }
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

/** What a newer change replaces: the same product at the same location, or the same order. */
export function subjectKey(req: Pick<SyncRequest, 'kind' | 'tenantId' | 'data'>): string {
  const d = req.data as Record<string, unknown>;
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
