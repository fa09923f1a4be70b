import type { CloudEventWire } from '../events/types.ts';
import type { DeliveryContext, HandlerBinding } from './types.ts';

/**
 * The fields every log line about a delivery carries (so one grep on an event id or a correlation id finds its whole story): event id, type, tenant,
 * correlation id and handler, plus the queue. Before decode there is no event: the AMQP
 * properties stand in (messageId, type, correlationId).
 */
export function deliveryLogFields(ctx: DeliveryContext, binding?: HandlerBinding): Record<string, unknown> {
  const event = ctx.event as CloudEventWire | undefined;
  const props = ctx.delivery.properties;
  return {
    eventId: event?.id ?? props.messageId,
    type: event?.type ?? props.type ?? ctx.routingKey,
    tenant: event?.tenantid,
    correlationId: event?.correlationid ?? props.correlationId,
    handler: binding?.key ?? (ctx.handlers?.length === 1 ? ctx.handlers[0]!.key : ctx.handlers?.map((h) => h.key).join(',')),
    queue: ctx.queue,
  };
}
