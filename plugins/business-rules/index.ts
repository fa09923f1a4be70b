import { definePlugin, NonRetryableError, type HandlerContext, type StokEvent } from 'stokcerdas';
import type { BusinessCalendar } from './calendar.ts';
import { demandFlags } from './demand.ts';
import { emittedEventSchemas, EventTypes } from './events.ts';
import { halalViolationForProduct, halalViolationsForOrder, type HalalItem } from './halal.ts';
import { businessRulesOptionsSchema, inCategories, type BusinessRulesOptions } from './options.ts';
import { slaEventsFor } from './sla.ts';
import { jakartaDate, vatForOrder, type VatClass, type VatLineInput } from './vat.ts';

/**
 * Indonesian business rules: PPN on orders, payment and shipping SLAs in business
 * days, halal certification, and Ramadan/Lebaran demand flags. Every handler shares the queue
 * `indonesian.business.rules` and publishes to `indonesian.business.events`.
 * One handler per rule, so a failing rule is retried alone and never re-runs the others.
 * What each rule reads and emits: README.md beside this file.
 */

const QUEUE = 'indonesian.business.rules';

interface OrderItem extends HalalItem {
  productId: string;
  quantity: number;
  unitPrice: number;
  category?: string;
  luxury?: boolean;
}

interface OrderData {
  orderId: string;
  orderNumber?: string;
  items?: OrderItem[];
  totalAmount?: number;
  orderedAt?: string;
  paidAt?: string;
  shippedAt?: string;
  deliveryDate?: string;
}

interface StockData {
  productId: string;
  locationId?: string;
  category?: string;
}

const optionsOf = (ctx: HandlerContext) => ctx.options as BusinessRulesOptions;

/** The `calendar` service; without it (a host running the timezone-only context) retrying is futile. */
function calendarOf(ctx: HandlerContext): BusinessCalendar {
  try {
    return ctx.resolve<BusinessCalendar>('calendar');
  } catch (err) {
    throw new NonRetryableError(
      `plugins/business-rules: handler ${ctx.handler} needs the "calendar" service (the Indonesian context); ` +
        'run the host with the Indonesian context provider or disable this handler in bindings',
      { cause: err },
    );
  }
}

function vatClassOf(item: OrderItem, vat: BusinessRulesOptions['vat']): VatClass {
  if (inCategories(item.category, vat.exemptCategories)) return 'exempt';
  if (item.luxury === true || inCategories(item.category, vat.luxuryCategories)) return 'luxury';
  return 'standard';
}

function taxDateOf(order: OrderData, eventTime: string) {
  for (const source of ['deliveryDate', 'orderedAt'] as const) {
    const date = typeof order[source] === 'string' ? jakartaDate(order[source]) : undefined;
    if (date) return { taxDate: date, taxDateSource: source };
  }
  return { taxDate: jakartaDate(eventTime) ?? eventTime.slice(0, 10), taxDateSource: 'eventTime' as const };
}

export default definePlugin({
  name: 'business-rules',
  version: '1.0.0',
  description: 'Indonesian PPN, business-day SLAs, halal certification and Ramadan/Lebaran demand flags',
  options: businessRulesOptionsSchema,
  events: emittedEventSchemas,
  handlers: {
    vat: {
      subscribe: { exchange: 'orders.events', routingKeys: ['orders.order.created'], queue: QUEUE },
      handle(event: StokEvent<OrderData>, ctx: HandlerContext) {
        const { vat } = optionsOf(ctx);
        if (!vat.enabled) return;
        const order = event.data;
        const items = order.items ?? [];
        const lines: VatLineInput[] = items.length
          ? items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: i.unitPrice, vatClass: vatClassOf(i, vat) }))
          : typeof order.totalAmount === 'number'
            ? [{ productId: '(order total)', quantity: 1, unitPrice: order.totalAmount, vatClass: 'standard' }]
            : [];
        if (lines.length === 0) {
          ctx.logger.debug({ orderId: order.orderId }, 'order has neither items nor totalAmount: no PPN to compute');
          return;
        }
        const { taxDate, taxDateSource } = taxDateOf(order, event.time);
        let result;
        try {
          result = vatForOrder(lines, taxDate);
        } catch (err) {
          // a fractional or negative price will not improve on retry
          throw new NonRetryableError(`order ${order.orderId}: ${(err as Error).message}`, { cause: err });
        }
        ctx.publish(EventTypes.taxCalculated, {
          orderId: order.orderId,
          ...(order.orderNumber ? { orderNumber: order.orderNumber } : {}),
          currency: 'IDR',
          taxDateSource,
          computedFrom: items.length ? 'items' : 'totalAmount',
          ...result,
        });
      },
    },

    sla: {
      subscribe: {
        exchange: 'orders.events',
        routingKeys: ['orders.order.created', 'orders.order.paid', 'orders.order.shipped'],
        queue: QUEUE,
      },
      handle(event: StokEvent<OrderData>, ctx: HandlerContext) {
        const { sla } = optionsOf(ctx);
        if (!sla.enabled) return;
        const zone = event.context?.timezone ?? 'Asia/Jakarta';
        for (const out of slaEventsFor(calendarOf(ctx), event.type, event.data, event.time, zone, sla)) {
          ctx.publish(out.type, out.data);
        }
      },
    },

    halal: {
      subscribe: { exchange: 'orders.events', routingKeys: ['orders.order.created'], queue: QUEUE },
      handle(event: StokEvent<OrderData>, ctx: HandlerContext) {
        const { halal } = optionsOf(ctx);
        if (!halal.enabled) return;
        for (const v of halalViolationsForOrder(event.data, halal)) ctx.publish(EventTypes.ruleViolated, v);
      },
    },

    'product-halal': {
      subscribe: {
        exchange: 'inventory.events',
        routingKeys: ['inventory.product.created', 'inventory.product.updated'],
        queue: QUEUE,
      },
      handle(event: StokEvent<HalalItem>, ctx: HandlerContext) {
        const { halal } = optionsOf(ctx);
        if (!halal.enabled) return;
        const v = halalViolationForProduct(event.data, halal);
        if (v) ctx.publish(EventTypes.ruleViolated, v);
      },
    },

    demand: {
      subscribe: {
        exchange: 'inventory.events',
        routingKeys: ['inventory.stock.level.changed', 'inventory.stock.low', 'inventory.stock.out'],
        queue: QUEUE,
      },
      handle(event: StokEvent<StockData>, ctx: HandlerContext) {
        const { demand } = optionsOf(ctx);
        if (!demand.enabled) return;
        const localDate = event.context?.localTime?.slice(0, 10) ?? jakartaDate(event.time) ?? event.time.slice(0, 10);
        const context = event.context ?? { culturalFactors: { seasonalFactor: 1 } };
        const flags = demandFlags(calendarOf(ctx), localDate, context, event.data.category, demand);
        if (!flags.flagged && !demand.emitWhenNoFlags) return;
        ctx.publish(EventTypes.demandFlagged, {
          productId: event.data.productId,
          ...(event.data.locationId ? { locationId: event.data.locationId } : {}),
          ...(event.data.category ? { category: event.data.category } : {}),
          sourceEventType: event.type,
          sourceEventId: event.id,
          timezone: event.context?.timezone ?? 'Asia/Jakarta',
          ...flags,
        });
      },
    },
  },
});
