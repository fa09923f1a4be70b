import { z } from 'zod';
import { defaults } from './defaults.ts';
import { contextSettingsSchema } from './context.ts';

/**
 * The config as data. Unknown keys are errors so a typo is reported by path instead
 * of silently ignored.
 */
const retrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100),
    delayMs: z.number().int().min(0),
    multiplier: z.number().min(1),
    maxDelayMs: z.number().int().min(0),
  })
  .strict();

const batchSchema = z
  .object({ size: z.number().int().min(1).max(100_000), flushMs: z.number().int().min(1) })
  .strict();

const tlsSchema = z
  .object({
    ca: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    passphrase: z.string().optional(),
    rejectUnauthorized: z.boolean().optional(),
    servername: z.string().optional(),
  })
  .strict();

export const bindingOverrideSchema = z
  .object({
    enabled: z.boolean().optional(),
    exchange: z.string().min(1).optional(),
    queue: z.string().min(1).optional(),
    routingKeys: z.array(z.string().min(1)).min(1).optional(),
    mode: z.enum(['inline', 'worker']).optional(),
    batch: batchSchema.partial().strict().optional(),
    retry: retrySchema.partial().strict().optional(),
    timeoutMs: z.number().int().min(1).optional(),
    prefetch: z.number().int().min(1).max(65_535).optional(),
    concurrency: z.number().int().min(1).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    broker: z
      .object({
        url: z.string().optional(),
        /** several nodes of one cluster, tried in order: on connection loss the host moves to the next */
        urls: z.array(z.string().min(1)).min(1).optional(),
        prefix: z.string().regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, _ . - only').default(defaults.broker.prefix),
        queueType: z.enum(['classic', 'quorum']).default(defaults.broker.queueType),
        /** quorum queues: deliveries of one message before the broker dead-letters it (x-delivery-limit) */
        deliveryLimit: z.number().int().min(1).default(defaults.broker.deliveryLimit),
        prefetch: z.number().int().min(1).max(65_535).default(defaults.broker.prefetch),
        concurrency: z.number().int().min(1).default(defaults.broker.concurrency),
        heartbeatSec: z.number().int().min(0).default(defaults.broker.heartbeatSec),
        connectionName: z.string().optional(),
        tls: tlsSchema.optional(),
        publishBufferSize: z.number().int().min(1).default(defaults.broker.publishBufferSize),
        defaultTtlMs: z.number().int().min(1).default(defaults.broker.defaultTtlMs),
        defaultPriority: z.number().int().min(0).max(9).default(defaults.broker.defaultPriority),
        reconnect: z
          .object({ initialDelayMs: z.number().int().min(1), maxDelayMs: z.number().int().min(1) })
          .strict()
          .default(defaults.broker.reconnect),
      })
      .strict()
      .prefault({}),
    /** 'auto' = amqp when a broker URL is configured, memory otherwise */
    transport: z.enum(['auto', 'memory', 'amqp']).default(defaults.transport),
    local: z.object({ enabled: z.boolean().default(defaults.local.enabled) }).strict().prefault({}),
    plugins: z
      .object({
        dir: z.string().default(defaults.plugins.dir),
        strict: z.boolean().default(defaults.plugins.strict),
        disabled: z.array(z.string()).default([]),
        options: z.record(z.string(), z.unknown()).default({}),
      })
      .strict()
      .prefault({}),
    bindings: z.record(z.string().regex(/^[^/]+\/[^/]+$/, 'keys are "plugin/handler"'), bindingOverrideSchema).default({}),
    retry: retrySchema.partial().strict().prefault({}).transform((r) => ({ ...defaults.retry, ...r })),
    batch: batchSchema.partial().strict().prefault({}).transform((b) => ({ ...defaults.batch, ...b })),
    timeoutMs: z.number().int().min(1).default(defaults.timeoutMs),
    workers: z
      .object({
        minThreads: z.number().int().min(0).default(defaults.workers.minThreads),
        maxThreads: z.number().int().min(1).default(defaults.workers.maxThreads),
        idleTimeoutMs: z.number().int().min(0).default(defaults.workers.idleTimeoutMs),
        maxQueue: z.number().int().min(1).default(defaults.workers.maxQueue),
        /** per-thread memory caps (worker_threads resourceLimits): a thread that exceeds one dies alone */
        resourceLimits: z
          .object({
            maxOldGenerationSizeMb: z.number().positive().optional(),
            maxYoungGenerationSizeMb: z.number().positive().optional(),
            codeRangeSizeMb: z.number().positive().optional(),
            stackSizeMb: z.number().positive().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    dedupe: z
      .object({
        maxEntries: z.number().int().min(1).default(defaults.dedupe.maxEntries),
        ttlMs: z.number().int().min(1).default(defaults.dedupe.ttlMs),
        redisUrl: z.string().optional(),
      })
      .strict()
      .prefault({}),
    /** the Indonesian business context: its shape here, province and zone checks in runtime/context/indonesia */
    context: contextSettingsSchema().prefault({}),
    http: z
      .object({
        enabled: z.boolean().default(defaults.http.enabled),
        host: z.string().default(defaults.http.host),
        port: z.number().int().min(0).max(65_535).default(defaults.http.port),
        token: z.string().optional(),
        bodyLimitBytes: z.number().int().min(1).default(defaults.http.bodyLimitBytes),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(defaults.log.level) })
      .strict()
      .prefault({}),
    shutdown: z.object({ drainTimeoutMs: z.number().int().min(0).default(defaults.shutdown.drainTimeoutMs) }).strict().prefault({}),
  })
  .strict();

/** What a user writes in stokcerdas.config.ts: everything optional. */
export type StokcerdasConfigInput = z.input<typeof configSchema>;
/** What the runtime reads: defaults applied, validated. */
export type ResolvedConfig = z.output<typeof configSchema>;
export type BindingOverride = z.output<typeof bindingOverrideSchema>;
export type RetryPolicy = ResolvedConfig['retry'];
export type BatchPolicy = ResolvedConfig['batch'];
