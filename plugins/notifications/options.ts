import { z } from 'zod';
import { CHANNELS, KINDS } from './events.ts';

/**
 * `plugins.options.notifications` in stokcerdas.config.ts, checked when the host starts (a bad
 * value stops the plugin with its path, not the first alert at night).
 */
const channels = z.array(z.enum(CHANNELS)).min(1).transform((cs) => [...new Set(cs)]);
const kinds = z.array(z.enum(KINDS));

/** An IANA zone, WIB/WITA/WIT or a province code (ID-PA): resolved by the calendar at use. */
const zone = z.string().min(1);

const recipient = z
  .object({
    timezone: zone.optional(),
    language: z.enum(['id', 'en']).optional(),
    channels: channels.optional(),
  })
  .strict();

/** Hold tiers for messages that wait for business hours: one queue per tier (TTL only expires at the head). */
export const DEFAULT_TIERS_MS = [60_000, 300_000, 900_000, 3_600_000, 14_400_000, 57_600_000];

export const notificationsOptionsSchema = z
  .object({
    /** `id` (Bahasa Indonesia) or `en`; a recipient can choose its own */
    language: z.enum(['id', 'en']).default('id'),
    /** channels every message goes to, unless its kind or recipient says otherwise */
    channels: channels.default(['email']),
    channelsByKind: z.partialRecord(z.enum(KINDS), channels).default({}),
    /** kinds to notify about at all */
    kinds: kinds.default([...KINDS]),
    /** kinds sent at once, day or night; the rest wait for business hours */
    urgentKinds: kinds.default(['stock-out', 'sla-breached']),
    /** the recipient's zone when neither the tenant's recipient entry nor the event says one */
    timezone: zone.optional(),
    /** per tenant id */
    recipients: z.record(z.string(), recipient).default({}),
    dedupe: z
      .object({
        /** a repeated alert for the same product, location and kind within this window is dropped */
        windowMs: z.number().int().min(0).default(3_600_000),
        maxEntries: z.number().int().min(100).default(50_000),
      })
      .strict()
      .prefault({}),
    deferral: z
      .object({
        enabled: z.boolean().default(true),
        tiersMs: z
          .array(z.number().int().min(1000))
          .min(1)
          .default(DEFAULT_TIERS_MS)
          .transform((ts) => [...new Set(ts)].sort((a, b) => a - b)),
      })
      .strict()
      .prefault({}),
    webhook: z
      .object({
        url: z.url({ protocol: /^https?$/ }),
        /** HMAC-SHA256 key; at least 16 characters */
        secret: z.string().min(16),
        timeoutMs: z.number().int().min(100).max(120_000).default(5000),
        headers: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const uses = [o.channels, ...Object.values(o.channelsByKind), ...Object.values(o.recipients).map((r) => r.channels ?? [])];
    if (uses.some((cs) => cs?.includes('webhook')) && !o.webhook) {
      ctx.addIssue({ code: 'custom', path: ['webhook'], message: 'the webhook channel is used: set webhook.url and webhook.secret' });
    }
  });

export type NotificationsOptions = z.output<typeof notificationsOptionsSchema>;
export type NotificationsOptionsInput = z.input<typeof notificationsOptionsSchema>;
