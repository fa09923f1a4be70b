import type { EventTypes as Payloads } from 'stokcerdas';
import type { IndonesianCalendar } from 'stokcerdas/context';
import { z } from 'zod';
import type { BusinessRulesOptions } from './options.ts';

/**
 * Payment and shipping SLAs counted in Indonesian business days: weekends, national holidays and
 * (unless the context config says otherwise) cuti bersama do not count. Stateless on purpose: every
 * answer comes from the timestamps the order event carries, so any host can handle any event and a
 * redelivery gives the same answer.
 *
 *   orders.order.created  → payment SLA computed from orderedAt (or the event time)
 *   orders.order.paid     → payment SLA checked (orderedAt → paidAt), shipping SLA computed from paidAt
 *   orders.order.shipped  → shipping SLA checked (paidAt → shippedAt)
 */

export type SlaKind = 'payment' | 'shipping';

export type SlaComputed = {
  orderId: string;
  sla: SlaKind;
  startedAt: string;
  businessDays: number;
  /** RFC 3339 in the order's zone */
  deadline: string;
  timezone: string;
  /** a year on the way has no decree data: only weekends were skipped */
  holidaysUnknown: boolean;
};

export type SlaBreach = SlaComputed & {
  occurredAt: string;
  lateByMs: number;
  /** business days after the deadline's day up to the day it happened (0: late the same day) */
  lateByBusinessDays: number;
};

export type SlaPolicy = BusinessRulesOptions['sla'];

export function computeSla(
  calendar: IndonesianCalendar,
  input: { orderId: string; sla: SlaKind; startedAt: string; zone: string },
  policy: SlaPolicy,
): SlaComputed {
  const businessDays = input.sla === 'payment' ? policy.paymentBusinessDays : policy.shippingBusinessDays;
  let due = calendar.addBusinessDays(input.startedAt, businessDays, input.zone);
  if (policy.deadlineAt === 'close') {
    due = due.set({ hour: Math.floor(calendar.closeMinute / 60), minute: calendar.closeMinute % 60, second: 0, millisecond: 0 });
  }
  // 0 business days = the start itself, read in the order's zone
  const startYear = calendar.addBusinessDays(input.startedAt, 0, input.zone).year;
  let holidaysUnknown = false;
  for (let y = startYear; y <= due.year; y++) if (!calendar.holidaysKnown(y)) holidaysUnknown = true;
  return {
    orderId: input.orderId,
    sla: input.sla,
    startedAt: input.startedAt,
    businessDays,
    deadline: due.toISO()!,
    timezone: input.zone,
    holidaysUnknown,
  };
}

/** The breach, if the step happened after its deadline; undefined when on time. */
export function checkSla(
  calendar: IndonesianCalendar,
  input: { orderId: string; sla: SlaKind; startedAt: string; occurredAt: string; zone: string },
  policy: SlaPolicy,
): SlaBreach | undefined {
  const computed = computeSla(calendar, input, policy);
  const lateByMs = Date.parse(input.occurredAt) - Date.parse(computed.deadline);
  if (!(lateByMs > 0)) return undefined;
  return {
    ...computed,
    occurredAt: input.occurredAt,
    lateByMs,
    lateByBusinessDays: calendar.businessDaysBetween(computed.deadline, input.occurredAt, input.zone),
  };
}

export interface OrderTimes {
  orderId: string;
  orderedAt?: string;
  paidAt?: string;
  shippedAt?: string;
}

/** The order events the SLAs are read from. */
export type OrderPayload = Payloads['orders.order.created'] | Payloads['orders.order.paid'] | Payloads['orders.order.shipped'];

/**
 * Times an order payload may carry beyond its schema (producers may add fields): the payment of a
 * shipped order (`paymentData` riding along, since the shipping SLA starts there), or the
 * top-level `paidAt` / `shippedAt` of a version 1 payload, which the upcaster keeps as it came.
 */
const carriedTimes = z.object({
  paymentData: z.object({ paidAt: z.string().optional() }).optional(),
  paidAt: z.string().optional(),
  shippedAt: z.string().optional(),
});

/** The timestamps of an order event: `orderData.orderedAt`, `paymentData.paidAt`, `fulfillmentData.shippedAt`. */
export function orderTimesOf(data: OrderPayload): OrderTimes {
  const parsed = carriedTimes.safeParse(data);
  const carried = parsed.success ? parsed.data : {};
  const paidAt = 'paymentData' in data ? data.paymentData?.paidAt : undefined;
  const shippedAt = 'fulfillmentData' in data ? data.fulfillmentData?.shippedAt : undefined;
  return {
    orderId: data.orderData.id,
    orderedAt: data.orderData.orderedAt,
    paidAt: paidAt ?? carried.paymentData?.paidAt ?? carried.paidAt,
    shippedAt: shippedAt ?? carried.shippedAt,
  };
}

export type SlaEvent =
  | { type: 'indonesian.business.sla.computed'; data: SlaComputed }
  | { type: 'indonesian.business.sla.breached'; data: SlaBreach };

/** What an order event means for its SLAs: the events to publish, in order. */
export function slaEventsFor(
  calendar: IndonesianCalendar,
  eventType: string,
  order: OrderTimes,
  eventTime: string,
  zone: string,
  policy: SlaPolicy,
): SlaEvent[] {
  const out: SlaEvent[] = [];
  const computed = (sla: SlaKind, startedAt: string) =>
    out.push({ type: 'indonesian.business.sla.computed', data: computeSla(calendar, { orderId: order.orderId, sla, startedAt, zone }, policy) });
  const check = (sla: SlaKind, startedAt: string | undefined, occurredAt: string) => {
    if (!startedAt) return;
    const breach = checkSla(calendar, { orderId: order.orderId, sla, startedAt, occurredAt, zone }, policy);
    if (breach) out.push({ type: 'indonesian.business.sla.breached', data: breach });
  };

  if (eventType === 'orders.order.created') {
    computed('payment', valid(order.orderedAt) ?? eventTime);
  } else if (eventType === 'orders.order.paid') {
    const paidAt = valid(order.paidAt) ?? eventTime;
    check('payment', valid(order.orderedAt), paidAt);
    computed('shipping', paidAt);
  } else if (eventType === 'orders.order.shipped') {
    check('shipping', valid(order.paidAt), valid(order.shippedAt) ?? eventTime);
  }
  return out;
}

/** A timestamp the rules can use; a malformed one is ignored rather than failing the order. */
function valid(ts: string | undefined): string | undefined {
  return typeof ts === 'string' && !Number.isNaN(Date.parse(ts)) ? ts : undefined;
}
