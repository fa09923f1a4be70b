import { z } from 'zod';

/**
 * `plugins.options['integration-sync']` in stokcerdas.config.ts. Each target is a sales channel
 * (a marketplace, the merchant's own shop) with its own queue, rate limit, timeout, retry policy
 * and kill switch; checked when the host starts.
 */

/** Becomes a handler name (`to-<name>`), a queue name and a routing key: no dots, no wildcards. */
export const TARGET_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const TOPIC = /^(?:[A-Za-z0-9_-]+|\*|#)(?:\.(?:[A-Za-z0-9_-]+|\*|#))*$/;

export const SYNCED_TYPES = [
  'inventory.stock.level.changed',
  'orders.order.created',
  'orders.order.paid',
  'orders.order.shipped',
  'orders.order.delivered',
  'orders.order.completed',
  'orders.order.cancelled',
] as const;

const targetSchema = z
  .object({
    /** `webhook` (built in), or the name of an adapter another plugin registered (see README) */
    adapter: z.string().min(1).default('webhook'),
    /** false: nothing new is queued for it (what its queue holds stays there) */
    enabled: z.boolean().default(true),
    url: z.url({ protocol: /^https?$/ }).optional(),
    /** HMAC-SHA256 key for the signature header; at least 16 characters */
    secret: z.string().min(16).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    /** which event types (topic patterns) this target receives */
    events: z.array(z.string().regex(TOPIC, 'a topic pattern like orders.order.*')).min(1).default(['inventory.stock.level.changed', 'orders.order.*']),
    /** only these tenants' changes (default: every tenant) */
    tenants: z.array(z.string().min(1)).optional(),
    /** per-request timeout */
    timeoutMs: z.number().int().min(100).max(120_000).default(5000),
    /** token bucket: sustained requests per second and how many may go at once after a quiet spell */
    rateLimit: z
      .object({ perSecond: z.number().positive().max(10_000).default(5), burst: z.number().int().min(1).default(10) })
      .strict()
      .prefault({}),
    /** kill switch: this many failures in a row pause the target for the cooldown, then one probe */
    breaker: z
      .object({
        failureThreshold: z.number().int().min(1).default(5),
        cooldownMs: z.number().int().min(100).default(30_000),
        /** each failed probe doubles the cooldown up to this */
        maxCooldownMs: z.number().int().min(100).default(600_000),
      })
      .strict()
      .prefault({}),
    /**
     * requests in flight at once; 1 keeps a target's updates in order (a stock level must not be
     * overtaken by an older one) and lets the kill switch stop it with nothing else in flight
     */
    concurrency: z.number().int().min(1).max(64).default(1),
    /** broker-held retries; the dead-letter queue after the last */
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).default(10),
        delayMs: z.number().int().min(0).default(5000),
        multiplier: z.number().min(1).default(2),
        maxDelayMs: z.number().int().min(0).default(300_000),
      })
      .strict()
      .prefault({}),
    /** free-form settings for a custom adapter */
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.adapter !== 'webhook') return;
    if (!t.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'the webhook adapter needs url' });
    if (!t.secret) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'the webhook adapter needs secret (≥ 16 characters)' });
  });

export const integrationSyncOptionsSchema = z
  .object({
    targets: z
      .record(z.string().regex(TARGET_NAME, 'target names are lowercase letters, digits and - (at most 40)'), targetSchema)
      .default({}),
    /**
     * How long a request may wait in a target's queue (its message TTL): a paused target keeps its
     * backlog this long. 30 days by default; RabbitMQ's limit is 2^32-1 ms (~49 days).
     */
    holdMs: z
      .number()
      .int()
      .min(60_000)
      .max(2 ** 32 - 1)
      .default(30 * 24 * 3_600_000),
  })
  .strict();

export type IntegrationSyncOptions = z.output<typeof integrationSyncOptionsSchema>;
export type IntegrationSyncOptionsInput = z.input<typeof integrationSyncOptionsSchema>;
export type TargetOptions = IntegrationSyncOptions['targets'][string];
