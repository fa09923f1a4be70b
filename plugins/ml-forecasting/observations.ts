import type { StokEvent } from 'stokcerdas';
import type { MlForecastingOptions } from './options.ts';
import type { Observations } from './store/index.ts';

/**
 * What the consumed events say about demand. Pure: one event in, observations out, so the rules
 * (which movements are demand, which day a sale belongs to, when two events are one sale) are
 * tested without a bus.
 */

export interface StockLevelChanged {
  productId: string;
  locationId: string;
  newLevel: number;
  quantityChanged: number;
  movementType?: string;
  referenceId?: string;
  tenantId?: string;
}

export interface CompletedOrder {
  orderId: string;
  locationId?: string;
  items?: { productId: string; quantity: number }[];
  tenantId?: string;
}

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

export const tenantOf = (event: StokEvent<{ tenantId?: string }>) => event.tenantid ?? event.data?.tenantId ?? 'default';

/** Both sources name the order (`referenceId` of a sale movement = `orderId`): one sale, one count. */
const orderOrigin = (tenant: string, orderId: string, productId: string) => `ref:${tenant}:${orderId}:${productId}`;

export function fromStockMovement(event: StokEvent<StockLevelChanged>, options: MlForecastingOptions): Observations {
  const d = event.data;
  const tenantId = tenantOf(event);
  const date = localDate(event.time, zoneOf(event));
  const key = { tenantId, productId: d.productId, locationId: d.locationId };
  const out: Observations = {
    demand: [],
    levels: [{ ...key, level: d.newLevel, at: new Date(event.time).toISOString(), date }],
  };
  const isDemand = d.quantityChanged < 0 && d.movementType !== undefined && (options.demandMovementTypes as string[]).includes(d.movementType);
  if (isDemand && options.sources.stockMovements) {
    out.demand.push({
      ...key,
      origin: d.referenceId ? orderOrigin(tenantId, d.referenceId, d.productId) : `event:${event.id}`,
      date,
      quantity: -d.quantityChanged,
    });
  }
  return out;
}

export function fromCompletedOrder(event: StokEvent<CompletedOrder>, options: MlForecastingOptions): Observations {
  const d = event.data;
  if (!options.sources.completedOrders) return { demand: [], levels: [] };
  const tenantId = tenantOf(event);
  const date = localDate(event.time, zoneOf(event));
  const locationId = d.locationId ?? options.defaultLocationId;
  // one product on two lines of an order is one demand of the summed quantity (one origin)
  const byProduct = new Map<string, number>();
  for (const item of d.items ?? []) byProduct.set(item.productId, (byProduct.get(item.productId) ?? 0) + item.quantity);
  return {
    demand: [...byProduct].map(([productId, quantity]) => ({
      tenantId,
      productId,
      locationId,
      origin: orderOrigin(tenantId, d.orderId, productId),
      date,
      quantity,
    })),
    levels: [],
  };
}

export function merge(parts: Observations[]): Observations {
  return { demand: parts.flatMap((p) => p.demand), levels: parts.flatMap((p) => p.levels) };
}
