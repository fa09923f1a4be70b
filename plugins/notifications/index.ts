import { definePlugin, NonRetryableError, type HandlerContext, type HandlerDefinition, type StokEvent } from 'stokcerdas';
import { deferralQueues, nextTier, tierRoutingKey } from './deferral.ts';
import {
  EXCHANGE,
  EventTypes,
  emittedEventSchemas,
  type Channel,
  type Notification,
  type NotificationDeferred,
  type NotificationKind,
  type NotificationRequested,
} from './events.ts';
import { compose, type Recipient } from './messages.ts';
import { notificationsOptionsSchema, type NotificationsOptions } from './options.ts';
import { postSigned } from 'stokcerdas/webhooks';
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
const STOCK_KINDS = new Set<NotificationKind>(['stock-low', 'stock-out', 'reorder-suggested']);

/** What the handlers need from the runtime's `calendar` service (IndonesianCalendar). */
interface Calendar {
  isBusinessHours(date: number, zone?: string): boolean;
  nextBusinessOpen(date: number, zone?: string): { toISO(): string | null };
  resolveZone(zone: string): string;
}

const optionsOf = (ctx: HandlerContext) => ctx.options as NotificationsOptions;
const stateOf = (ctx: HandlerContext) => ctx.resolve<NotificationsState>(SERVICE);

function calendarOf(ctx: { resolve<T>(name: string): T }, who: string): Calendar {
  try {
    return ctx.resolve<Calendar>('calendar');
  } catch (err) {
    // without business hours there is no telling now from later: retrying will not change that
    throw new NonRetryableError(`plugins/notifications: ${who} needs the "calendar" service (the Indonesian context provider)`, { cause: err });
  }
}

function recipientOf(o: NotificationsOptions, event: StokEvent, kind: NotificationKind, cal: Calendar): Recipient & { channels: Channel[] } {
  const own = event.tenantid ? o.recipients[event.tenantid] : undefined;
  const zone = own?.timezone ?? o.timezone ?? event.context?.timezone ?? 'Asia/Jakarta';
  return {
    timezone: cal.resolveZone(zone),
    language: own?.language ?? o.language,
    // the tenant's own choice wins over the per-kind routing, which wins over the default
    channels: own?.channels ?? o.channelsByKind[kind] ?? o.channels,
  };
}

function send(n: Notification, channels: Channel[], ctx: HandlerContext, deferredUntil?: string): void {
  for (const channel of channels) {
    const message: NotificationRequested = { ...n, channel, ...(deferredUntil ? { deferredUntil } : {}) };
    ctx.publish(EventTypes.requested, message, { exchange: EXCHANGE, routingKey: channel, priority: n.urgent ? 9 : 5 });
  }
  stateOf(ctx).counters.sent += channels.length;
}

/** Publishes the next hop towards `notBefore`, or sends the message when it is due. */
function hold(n: Notification, channels: Channel[], notBefore: string, hop: number, ctx: HandlerContext): void {
  const { deferral } = optionsOf(ctx);
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

function notify(kind: NotificationKind, event: StokEvent<Record<string, unknown>>, ctx: HandlerContext): void {
  const o = optionsOf(ctx);
  if (!o.kinds.includes(kind)) return;
  const state = stateOf(ctx);
  if (STOCK_KINDS.has(kind)) {
    const key = `${event.tenantid ?? ''}|${kind}|${String(event.data.productId)}|${String(event.data.locationId)}`;
    if (state.isRepeat(key, event.id, Date.parse(event.time))) {
      ctx.logger.debug({ kind, productId: event.data.productId }, 'repeated alert inside the dedupe window: dropped');
      return;
    }
  }
  const cal = calendarOf(ctx, ctx.handler);
  const r = recipientOf(o, event, kind, cal);
  const now = ctx.clock.now();
  const urgent = o.urgentKinds.includes(kind);
  const n = compose(kind, event.data, event, r, urgent, now);
  state.counters.composed++;
  if (urgent || !o.deferral.enabled || cal.isBusinessHours(now, r.timezone)) return send(n, r.channels, ctx);
  state.counters.deferred++;
  hold(n, r.channels, cal.nextBusinessOpen(now, r.timezone).toISO()!, 1, ctx);
}

const STOCK_KIND: Record<string, NotificationKind> = {
  'inventory.stock.low': 'stock-low',
  'inventory.stock.out': 'stock-out',
  'inventory.alert.reorder.suggested': 'reorder-suggested',
};
const ORDER_KIND: Record<string, NotificationKind> = {
  'orders.order.paid': 'order-paid',
  'orders.order.shipped': 'order-shipped',
  'orders.order.cancelled': 'order-cancelled',
};

/** The webhook channel's deliverer: exists only when `webhook` is configured. */
function webhookHandler(o: NotificationsOptions): HandlerDefinition {
  const w = o.webhook!;
  return {
    subscribe: { exchange: EXCHANGE, routingKeys: ['webhook'], queue: WEBHOOK_QUEUE },
    timeoutMs: w.timeoutMs + 2000,
    // ~30 minutes of broker-held retries before the dead-letter queue (replayable with `stokcerdas dlq`)
    retry: { maxAttempts: 8, delayMs: 5000, multiplier: 3, maxDelayMs: 600_000 },
    async handle(event: StokEvent<NotificationRequested>, ctx: HandlerContext) {
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
      subscribe: { exchange: 'inventory.events', routingKeys: Object.keys(STOCK_KIND), queue: QUEUE },
      handle: (event: StokEvent<Record<string, unknown>>, ctx: HandlerContext) => notify(STOCK_KIND[event.type]!, event, ctx),
    },
    orders: {
      subscribe: { exchange: 'orders.events', routingKeys: Object.keys(ORDER_KIND), queue: QUEUE },
      handle: (event: StokEvent<Record<string, unknown>>, ctx: HandlerContext) => notify(ORDER_KIND[event.type]!, event, ctx),
    },
    sla: {
      subscribe: { exchange: 'indonesian.business.events', routingKeys: ['indonesian.business.sla.breached'], queue: QUEUE },
      handle: (event: StokEvent<Record<string, unknown>>, ctx: HandlerContext) => notify('sla-breached', event, ctx),
    },
    release: {
      subscribe: { exchange: EXCHANGE, routingKeys: [EventTypes.deferred], queue: QUEUE },
      handle(event: StokEvent<NotificationDeferred>, ctx: HandlerContext) {
        const d = event.data;
        hold(d.notification, d.channels, d.notBefore, d.hop + 1, ctx);
      },
    },
  },
});
