import type { EventTypes as Payloads, StokEvent } from 'stokcerdas';
import type { MlForecastingOptions } from './options.ts';
import type { Observations } from './store/index.ts';

/**
 * What the consumed events say about demand. Pure: one event in, observations out, so the rules
 * (which movements are demand, which day a sale belongs to, when two events are one sale) are
 * tested without a bus. The events arrive in the canonical shape (a version 1 flat payload is
 * upcast before a handler sees it).
 */

export type StockLevelChanged = Payloads['inventory.stock.level.changed'];
export type CompletedOrder = Payloads['orders.order.completed'];

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The civil date of an instant in a zone (`en-CA` formats as YYYY-MM-DD). */
export function localDate(instant: string | number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(new Date(instant));
}

/** The zone whose calendar day a sale counts on: the event's own (its province, else the tenant's). */
export const zoneOf = (event: StokEvent) => event.context?.timezone ?? 'Asia/Jakarta';

/**
 * The tenant: the event's `tenantid`; a payload may still carry the seed's `tenantId` beside its
 * parts (a CloudEvent from outside that left the extension out).
 */
export function tenantOf(event: StokEvent<object>): string {
  if (event.tenantid) return event.tenantid;
  const { data } = event;
  return 'tenantId' in data && typeof data.tenantId === 'string' && data.tenantId !== '' ? data.tenantId : 'default';
}

/** Both sources name the order (`referenceId` of a sale movement = the order id): one sale, one count. */
const orderOrigin = (tenant: string, orderId: string, productId: string) => `ref:${tenant}:${orderId}:${productId}`;

export function fromStockMovement(event: StokEvent<StockLevelChanged>, options: MlForecastingOptions): Observations {
  const { productData, locationData, stockMovement, stockLevel } = event.data;
  const tenantId = tenantOf(event);
  const date = localDate(event.time, zoneOf(event));
  const key = { tenantId, productId: productData.id, locationId: locationData.id };
  const out: Observations = {
    demand: [],
    levels: [{ ...key, level: stockLevel.current, at: new Date(event.time).toISOString(), date }],
  };
  const demandTypes: readonly string[] = options.demandMovementTypes;
  const isDemand = stockMovement.quantity < 0 && demandTypes.includes(stockMovement.type);
  if (isDemand && options.sources.stockMovements) {
    out.demand.push({
      ...key,
      origin: stockMovement.referenceId ? orderOrigin(tenantId, stockMovement.referenceId, productData.id) : `event:${event.id}`,
      date,
      quantity: -stockMovement.quantity,
    });
  }
  return out;
}

export function fromCompletedOrder(event: StokEvent<CompletedOrder>, options: MlForecastingOptions): Observations {
  const { orderData, locationData } = event.data;
  if (!options.sources.completedOrders) return { demand: [], levels: [] };
  const tenantId = tenantOf(event);
  const date = localDate(event.time, zoneOf(event));
  const locationId = locationData?.id ?? options.defaultLocationId;
  // one product on two lines of an order is one demand of the summed quantity (one origin)
  const byProduct = new Map<string, number>();
  for (const item of orderData.items ?? []) byProduct.set(item.productData.id, (byProduct.get(item.productData.id) ?? 0) + item.quantity);
  return {
    demand: [...byProduct].map(([productId, quantity]) => ({
      tenantId,
      productId,
      locationId,
      origin: orderOrigin(tenantId, orderData.id, productId),
      date,
      quantity,
    })),
    levels: [],
  };
}

export function merge(parts: Observations[]): Observations {
  return { demand: parts.flatMap((p) => p.demand), levels: parts.flatMap((p) => p.levels) };
}
