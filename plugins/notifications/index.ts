import { definePlugin, NonRetryableError, type HandlerContext, type HandlerDefinition, type ServiceResolver, type StokEvent } from 'stokcerdas';
import type { IndonesianCalendar } from 'stokcerdas/context';
import { postSigned } from 'stokcerdas/webhooks';
import { deferralQueues, nextTier, tierRoutingKey } from './deferral.ts';
import {
  EXCHANGE,
  EventTypes,
  emittedEventSchemas,
  type Channel,
  type EmittedPayloads,
  type Notification,
  type NotificationDeferred,
  type NotificationKind,
  type NotificationRequested,
} from './events.ts';
import { compose, orderFactsOf, slaBreachSchema, stockAlertOf, type Recipient, type Topic } from './messages.ts';
import { notificationsOptionsSchema, type NotificationsOptions } from './options.ts';
import { NotificationsState } from './state.ts';

/**
 * Stock alerts, order events and SLA breaches → messages in Bahasa Indonesia (or English) on
 * `notifications.direct`, one per channel with the channel as routing key. Every handler shares
 * the queue `notifications.high.priority`: one handler per domain exchange, since a binding reads
 * one exchange. Non-urgent messages outside business hours are held by the broker (deferral.ts).
 * What it consumes and emits, and every option: README.md beside this file.
 */

const QUEUE = 'notifications.high.priority';
/** the webhook channel gets its own queue: a slow receiver must not hold up composing or deferring */
const WEBHOOK_QUEUE = 'notifications.webhook';
const SERVICE = 'notifications';

declare module 'stokcerdas' {
  interface ServiceTypes {
    /** this host's dedupe window and counters (notifications) */
    notifications: NotificationsState;
  }
}

/** A handler's context: the plugin's options, and `publish` typed by the plugin's own events. */
type Ctx = HandlerContext<NotificationsOptions, EmittedPayloads>;

const stateOf = (ctx: ServiceResolver) => ctx.resolve(SERVICE);

function calendarOf(ctx: ServiceResolver, who: string): IndonesianCalendar {
  try {
    return ctx.resolve('calendar');
  } catch (err) {
    // without business hours there is no telling now from later: retrying will not change that
    throw new NonRetryableError(`plugins/notifications: ${who} needs the "calendar" service (the Indonesian context provider)`, { cause: err });
  }
}

function recipientOf(o: NotificationsOptions, event: StokEvent, kind: NotificationKind, cal: IndonesianCalendar): Recipient & { channels: Channel[] } {
  const own = event.tenantid ? o.recipients[event.tenantid] : undefined;
  const zone = own?.timezone ?? o.timezone ?? event.context?.timezone ?? 'Asia/Jakarta';
  return {
    timezone: cal.resolveZone(zone),
    language: own?.language ?? o.language,
    // the tenant's own choice wins over the per-kind routing, which wins over the default
    channels: own?.channels ?? o.channelsByKind[kind] ?? o.channels,
  };
}

function send(n: Notification, channels: Channel[], ctx: Ctx, deferredUntil?: string): void {
  for (const channel of channels) {
    const message: NotificationRequested = { ...n, channel, ...(deferredUntil ? { deferredUntil } : {}) };
    ctx.publish(EventTypes.requested, message, { exchange: EXCHANGE, routingKey: channel, priority: n.urgent ? 9 : 5 });
  }
  stateOf(ctx).counters.sent += channels.length;
}

/** Publishes the next hop towards `notBefore`, or sends the message when it is due. */
function hold(n: Notification, channels: Channel[], notBefore: string, hop: number, ctx: Ctx): void {
  const { deferral } = ctx.options;
  // deferral switched off while messages were held: their hold queues are no longer declared
  const tier = deferral.enabled ? nextTier(deferral.tiersMs, Date.parse(notBefore) - ctx.clock.now()) : undefined;
  if (tier === undefined) {
    stateOf(ctx).counters.released++;
    return send(n, channels, ctx, notBefore);
  }
  const data: NotificationDeferred = { notification: n, channels, notBefore, hop };
  // ttl = tier: the default 30-minute message expiration would otherwise cut the longer tiers short
  ctx.publish(EventTypes.deferred, data, { exchange: EXCHANGE, routingKey: tierRoutingKey(tier), ttl: tier });
  stateOf(ctx).counters.hops++;
}

function notify(topic: Topic, event: StokEvent, ctx: Ctx): void {
  const { kind } = topic;
  const o = ctx.options;
  if (!o.kinds.includes(kind)) return;
  const state = stateOf(ctx);
  if ('alert' in topic) {
    const { productId, locationId } = topic.alert;
    const key = `${event.tenantid ?? ''}|${kind}|${productId}|${locationId}`;
    if (state.isRepeat(key, event.id, Date.parse(event.time))) {
      ctx.logger.debug({ kind, productId }, 'repeated alert inside the dedupe window: dropped');
      return;
    }
  }
  const cal = calendarOf(ctx, ctx.handler);
  const r = recipientOf(o, event, kind, cal);
  const now = ctx.clock.now();
  const urgent = o.urgentKinds.includes(kind);
  const n = compose(topic, event, r, urgent, now);
  state.counters.composed++;
  if (urgent || !o.deferral.enabled || cal.isBusinessHours(now, r.timezone)) return send(n, r.channels, ctx);
  state.counters.deferred++;
  hold(n, r.channels, cal.nextBusinessOpen(now, r.timezone).toISO()!, 1, ctx);
}

const STOCK_KIND = {
  'inventory.stock.low': 'stock-low',
  'inventory.stock.out': 'stock-out',
  'inventory.alert.reorder.suggested': 'reorder-suggested',
} as const;
const ORDER_KIND = {
  'orders.order.paid': 'order-paid',
  'orders.order.shipped': 'order-shipped',
  'orders.order.cancelled': 'order-cancelled',
} as const;

/** The webhook channel's deliverer: exists only when `webhook` is configured. */
function webhookHandler(o: NotificationsOptions): HandlerDefinition {
  const w = o.webhook!;
  return {
    subscribe: { exchange: EXCHANGE, routingKeys: ['webhook'], queue: WEBHOOK_QUEUE },
    timeoutMs: w.timeoutMs + 2000,
    // ~30 minutes of broker-held retries before the dead-letter queue (replayable with `stokcerdas dlq`)
    retry: { maxAttempts: 8, delayMs: 5000, multiplier: 3, maxDelayMs: 600_000 },
    // a configured handler is not typed from its routing key: the payload is this plugin's own, checked by its schema
    async handle(event: StokEvent<NotificationRequested>, ctx: ServiceResolver & Pick<HandlerContext, 'clock' | 'signal'>) {
      const state = stateOf(ctx);
      const outcome = await postSigned({
        url: w.url,
        secret: w.secret,
        timeoutMs: w.timeoutMs,
        now: ctx.clock.now(),
        signal: ctx.signal,
        body: JSON.stringify(event.data),
        headers: { ...w.headers, 'idempotency-key': event.data.notificationId, 'x-stokcerdas-event-id': event.id },
      });
      if (outcome.kind === 'ok') {
        state.counters.webhookDelivered++;
        return;
      }
      state.counters.webhookFailed++;
      const reason = 'reason' in outcome ? outcome.reason : `HTTP ${outcome.status}`;
      if (outcome.kind === 'rejected') throw new NonRetryableError(`webhook refused notification ${event.data.notificationId}: ${reason}`);
      throw new Error(`webhook ${outcome.kind} for notification ${event.data.notificationId}: ${reason}`);
    },
  };
}

export default definePlugin({
  name: 'notifications',
  version: '1.0.0',
  description: 'Stock, order and SLA notifications in Bahasa Indonesia, by channel, held by the broker outside business hours',
  options: notificationsOptionsSchema,
  events: emittedEventSchemas,
  configure(o) {
    const handlers: Record<string, HandlerDefinition> = o.webhook ? { webhook: webhookHandler(o) } : {};
    return {
      handlers,
      queues: o.deferral.enabled ? deferralQueues(o.deferral.tiersMs) : [],
    };
  },
  setup(ctx) {
    const o = ctx.options;
    const cal = calendarOf(ctx, 'setup');
    // a zone typo surfaces at start with its path, not at the first alert
    for (const [where, zone] of [['timezone', o.timezone], ...Object.entries(o.recipients).map(([t, r]) => [`recipients.${t}.timezone`, r.timezone])]) {
      if (!zone) continue;
      try {
        cal.resolveZone(zone);
      } catch (err) {
        throw new Error(`plugins.options.notifications.${where}: ${(err as Error).message}`);
      }
    }
    ctx.register(SERVICE, new NotificationsState(o.dedupe.windowMs, o.dedupe.maxEntries));
  },
  handlers: {
    stock: {
      subscribe: { exchange: 'inventory.events', routingKeys: ['inventory.stock.low', 'inventory.stock.out', 'inventory.alert.reorder.suggested'], queue: QUEUE },
      handle: (event, ctx) => notify({ kind: STOCK_KIND[event.type], alert: stockAlertOf(event.data) }, event, ctx),
    },
    orders: {
      subscribe: { exchange: 'orders.events', routingKeys: ['orders.order.paid', 'orders.order.shipped', 'orders.order.cancelled'], queue: QUEUE },
      handle: (event, ctx) => notify({ kind: ORDER_KIND[event.type], order: orderFactsOf(event.data) }, event, ctx),
    },
    sla: {
      subscribe: { exchange: 'indonesian.business.events', routingKeys: ['indonesian.business.sla.breached'], queue: QUEUE },
      handle(event, ctx) {
        // another plugin's type, unknown to this one: checked here, and a payload that fails will not pass on retry
        const breach = slaBreachSchema.safeParse(event.data);
        if (!breach.success) {
          throw new NonRetryableError(`sla.breached ${event.id} lacks what the message needs: ${breach.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        }
        notify({ kind: 'sla-breached', breach: breach.data }, event, ctx);
      },
    },
    release: {
      subscribe: { exchange: EXCHANGE, routingKeys: [EventTypes.deferred], queue: QUEUE },
      handle(event, ctx) {
        const d = event.data;
        hold(d.notification, d.channels, d.notBefore, d.hop + 1, ctx);
      },
    },
  },
});
