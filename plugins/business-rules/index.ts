import { definePlugin, NonRetryableError, type EventTypes as Payloads, type ServiceResolver } from 'stokcerdas';
import type { IndonesianCalendar } from 'stokcerdas/context';
import { demandFlags } from './demand.ts';
import { emittedEventSchemas, EventTypes } from './events.ts';
import { halalViolationForProduct, halalViolationsForOrder } from './halal.ts';
import { businessRulesOptionsSchema, inCategories, type BusinessRulesOptions } from './options.ts';
import { orderTimesOf, slaEventsFor } from './sla.ts';
import { jakartaDate, vatForOrder, type VatClass, type VatLineInput } from './vat.ts';

/**
 * Indonesian business rules: PPN on orders, payment and shipping SLAs in business days, halal
 * certification, and Ramadan/Lebaran demand flags. Every handler shares the queue
 * `indonesian.business.rules` and publishes to `indonesian.business.events`. One handler per rule,
 * so a failing rule is retried alone and never re-runs the others. Handlers read the canonical
 * payloads (`orderData`, `productData`, …); a version 1 (flat) event reaches them upcast.
 * What each rule reads and emits: README.md beside this file.
 */

const QUEUE = 'indonesian.business.rules';

type OrderData = Payloads['orders.order.created']['orderData'];
type OrderItem = NonNullable<OrderData['items']>[number];

/** The `calendar` service; without it (a host running the timezone-only context) retrying is futile. */
function calendarOf(ctx: ServiceResolver & { handler: string }): IndonesianCalendar {
  try {
    return ctx.resolve('calendar');
  } catch (err) {
    throw new NonRetryableError(
      `plugins/business-rules: handler ${ctx.handler} needs the "calendar" service (the Indonesian context); ` +
        'run the host with the Indonesian context provider or disable this handler under handlers in the config',
      { cause: err },
    );
  }
}

function vatClassOf(item: OrderItem, vat: BusinessRulesOptions['vat']): VatClass {
  const { category } = item.productData;
  if (inCategories(category, vat.exemptCategories)) return 'exempt';
  if (item.luxury === true || inCategories(category, vat.luxuryCategories)) return 'luxury';
  return 'standard';
}

function taxDateOf(order: OrderData, eventTime: string) {
  for (const source of ['deliveryDate', 'orderedAt'] as const) {
    const value = order[source];
    const date = typeof value === 'string' ? jakartaDate(value) : undefined;
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
      handle(event, ctx) {
        const { vat } = ctx.options;
        if (!vat.enabled) return;
        const order = event.data.orderData;
        const items = order.items ?? [];
        const lines: VatLineInput[] = items.length
          ? items.map((i) => ({ productId: i.productData.id, quantity: i.quantity, unitPrice: i.unitPrice, vatClass: vatClassOf(i, vat) }))
          : typeof order.totalAmount === 'number'
            ? [{ productId: '(order total)', quantity: 1, unitPrice: order.totalAmount, vatClass: 'standard' }]
            : [];
        if (lines.length === 0) {
          ctx.logger.debug({ orderId: order.id }, 'order has neither items nor totalAmount: no PPN to compute');
          return;
        }
        const { taxDate, taxDateSource } = taxDateOf(order, event.time);
        let result;
        try {
          result = vatForOrder(lines, taxDate);
        } catch (err) {
          // a fractional or negative price will not improve on retry
          throw new NonRetryableError(`order ${order.id}: ${(err as Error).message}`, { cause: err });
        }
        ctx.publish(EventTypes.taxCalculated, {
          orderId: order.id,
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
      handle(event, ctx) {
        const { sla } = ctx.options;
        if (!sla.enabled) return;
        const zone = event.context?.timezone ?? 'Asia/Jakarta';
        for (const out of slaEventsFor(calendarOf(ctx), event.type, orderTimesOf(event.data), event.time, zone, sla)) {
          ctx.publish(out.type, out.data);
        }
      },
    },

    halal: {
      subscribe: { exchange: 'orders.events', routingKeys: ['orders.order.created'], queue: QUEUE },
      handle(event, ctx) {
        const { halal } = ctx.options;
        if (!halal.enabled) return;
        for (const v of halalViolationsForOrder(event.data.orderData, halal)) ctx.publish(EventTypes.ruleViolated, v);
      },
    },

    'product-halal': {
      subscribe: {
        exchange: 'inventory.events',
        routingKeys: ['inventory.product.created', 'inventory.product.updated'],
        queue: QUEUE,
      },
      handle(event, ctx) {
        const { halal } = ctx.options;
        if (!halal.enabled) return;
        const v = halalViolationForProduct(event.data.productData, halal);
        if (v) ctx.publish(EventTypes.ruleViolated, v);
      },
    },

    demand: {
      subscribe: {
        exchange: 'inventory.events',
        routingKeys: ['inventory.stock.level.changed', 'inventory.stock.low', 'inventory.stock.out'],
        queue: QUEUE,
      },
      handle(event, ctx) {
        const { demand } = ctx.options;
        if (!demand.enabled) return;
        const localDate = event.context?.localTime?.slice(0, 10) ?? jakartaDate(event.time) ?? event.time.slice(0, 10);
        const context = event.context ?? { culturalFactors: { seasonalFactor: 1 } };
        const { productData, locationData } = event.data;
        const flags = demandFlags(calendarOf(ctx), localDate, context, productData.category, demand);
        if (!flags.flagged && !demand.emitWhenNoFlags) return;
        ctx.publish(EventTypes.demandFlagged, {
          productId: productData.id,
          locationId: locationData.id,
          ...(productData.category ? { category: productData.category } : {}),
          sourceEventType: event.type,
          sourceEventId: event.id,
          timezone: event.context?.timezone ?? 'Asia/Jakarta',
          ...flags,
        });
      },
    },
  },
});
