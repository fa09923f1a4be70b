import { z } from 'zod';

/**
 * What this plugin publishes, all on `notifications.direct` (a direct exchange, so the
 * routing key is the channel, not the type). Registering the schemas makes the types known: a
 * delivery service consuming `email` gets a checked payload. Objects stay open (passthrough) so
 * a later version can add fields without breaking consumers.
 */
export const EventTypes = {
  /** one per channel, routing key = the channel (`email`, `sms`, `whatsapp`, `push`, `webhook`) */
  requested: 'notifications.message.requested',
  /** a message held by the broker until business opens; comes back as this routing key */
  deferred: 'notifications.message.deferred',
} as const;

export const EXCHANGE = 'notifications.direct';

export const KINDS = ['stock-low', 'stock-out', 'reorder-suggested', 'order-paid', 'order-shipped', 'order-cancelled', 'sla-breached'] as const;
export type NotificationKind = (typeof KINDS)[number];

export const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export const notificationSchema = z
  .object({
    /** stable for one source event and kind, across retries and deferral: receivers dedupe on it */
    notificationId: z.string().min(1),
    kind: z.enum(KINDS),
    urgent: z.boolean(),
    language: z.enum(['id', 'en']),
    title: z.string(),
    body: z.string(),
    tenantId: z.string().optional(),
    /** IANA zone the dates in the text are written in */
    timezone: z.string(),
    subject: z.object({ productId: z.string().optional(), locationId: z.string().optional(), orderId: z.string().optional() }).passthrough(),
    source: z.object({ eventId: z.string(), type: z.string(), time: z.string() }),
    createdAt: z.string(),
  })
  .passthrough();

export type Notification = z.output<typeof notificationSchema>;

export const requestedSchema = notificationSchema.extend({
  channel: z.enum(CHANNELS),
  /** when the message was held outside business hours: the business open it waited for */
  deferredUntil: z.string().optional(),
});

export type NotificationRequested = z.output<typeof requestedSchema>;

export const deferredSchema = z
  .object({
    notification: notificationSchema,
    /** the channels it goes to once due (chosen when it was composed) */
    channels: z.array(z.enum(CHANNELS)).min(1),
    /** RFC 3339: the next business open in the recipient's zone */
    notBefore: z.string(),
    /** 1 for the first wait; each further tier adds one */
    hop: z.number().int().min(1),
  })
  .passthrough();

export type NotificationDeferred = z.output<typeof deferredSchema>;

export const emittedEventSchemas = {
  [EventTypes.requested]: requestedSchema,
  [EventTypes.deferred]: deferredSchema,
};

/** The payloads of the types above, as `publish` takes them (what the handlers' context is typed with). */
export type EmittedPayloads = { [K in keyof typeof emittedEventSchemas]: z.input<(typeof emittedEventSchemas)[K]> };
