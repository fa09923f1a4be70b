import { z } from 'zod';

/**
 * The events this plugin publishes. There is no integration domain exchange in the seed, so:
 * - requests travel on `integration.events` (a topic exchange the runtime declares because the
 *   per-target handlers bind to it), routing key = the target's name, into `integration.sync.<target>`;
 * - results go to `analytics.events` (routing key = type), where reporting already listens.
 * Objects stay open (passthrough) so later versions can add fields.
 */
export const EventTypes = {
  requested: 'integration.sync.requested',
  succeeded: 'integration.sync.succeeded',
  failed: 'integration.sync.failed',
} as const;

export const REQUEST_EXCHANGE = 'integration.events';
export const RESULT_EXCHANGE = 'analytics.events';

export const KINDS = ['stock', 'order-status'] as const;
export type SyncKind = (typeof KINDS)[number];

const base = {
  target: z.string(),
  kind: z.enum(KINDS),
  /** the domain event this push comes from; also the Idempotency-Key the target sees */
  sourceEventId: z.string(),
  sourceEventType: z.string(),
  /** when the change happened (the source event's time): receivers keep the latest */
  occurredAt: z.string(),
  tenantId: z.string().optional(),
};

export const requestedSchema = z
  .object({
    ...base,
    /** what the target is told: a stock level or an order status, normalised (requests.ts) */
    data: z.record(z.string(), z.unknown()),
  })
  .passthrough();

export const succeededSchema = z
  .object({
    ...base,
    requestId: z.string(),
    attempt: z.number().int().min(1),
    status: z.number().int().optional(),
    durationMs: z.number().int().min(0).optional(),
    /** `superseded`: a newer change for the same product or order already reached the target */
    skipped: z.literal('superseded').optional(),
  })
  .passthrough();

export const failedSchema = z
  .object({
    ...base,
    requestId: z.string(),
    attempt: z.number().int().min(1),
    outcome: z.enum(['unavailable', 'rate-limited', 'rejected', 'no-adapter']),
    reason: z.string(),
    status: z.number().int().optional(),
    /** false: this was the last attempt or the target refused it; the request is dead-lettered */
    retrying: z.boolean(),
    breaker: z.enum(['closed', 'open', 'half-open']),
  })
  .passthrough();

export type SyncRequest = z.output<typeof requestedSchema>;
export type SyncSucceeded = z.output<typeof succeededSchema>;
export type SyncFailed = z.output<typeof failedSchema>;

export const emittedEventSchemas = {
  [EventTypes.requested]: requestedSchema,
  [EventTypes.succeeded]: succeededSchema,
  [EventTypes.failed]: failedSchema,
};

/** The payloads of the types above, as `publish` takes them (what the handlers' context is typed with). */
export type EmittedPayloads = { [K in keyof typeof emittedEventSchemas]: z.input<(typeof emittedEventSchemas)[K]> };
