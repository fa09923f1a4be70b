import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Clock } from '../clock/index.ts';
import type { PublishOptions, StokEvent } from '../events/types.ts';
import type { RetryPolicy, BatchPolicy, ResolvedConfig } from '../../config/schema.ts';

/** What a plugin folder's index default-exports. */

export interface SubscribeSpec {
  /** exchange name without the prefix; default: the domain exchange of the first routing key */
  exchange?: string;
  routingKeys: string[];
  /** queue name without the prefix; default: `<plugin>.<handler>` */
  queue?: string;
}

/** Publish from inside a handler: collected, sent only after the handler succeeds (outbox). */
export type OutboxPublish = (type: string, data: unknown, options?: PublishOptions) => void;

export interface HandlerContext {
  logger: Logger;
  publish: OutboxPublish;
  /** 1 on first delivery, n on the n-th */
  attempt: number;
  /** `plugin/handler` */
  handler: string;
  clock: Clock;
  /** aborted when the handler times out */
  signal: AbortSignal;
  /** services from the awilix container (inline handlers only) */
  resolve<T = unknown>(name: string): T;
  options: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface HandlerDefinition<Data = any> {
  subscribe: SubscribeSpec;
  mode?: 'inline' | 'worker';
  batch?: Partial<BatchPolicy>;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  prefetch?: number;
  concurrency?: number;
  /**
   * Receives a `StokEvent<Data>`, or a `StokEvent<Data>[]` when `batch` is set.
   * Typed loosely so both shapes can be written without casts; annotate the parameter.
   */
  handle(event: any, ctx: HandlerContext): Promise<void> | void;
}

export interface SetupContext<Options = unknown> {
  logger: Logger;
  options: Options;
  clock: Clock;
  config: ResolvedConfig;
  /** publishes at once and resolves on the broker confirm */
  publish(type: string, data: unknown, options?: PublishOptions): Promise<void>;
  resolve<T = unknown>(name: string): T;
  /** register a service other plugins and handlers can resolve */
  register(name: string, value: unknown): void;
}

export interface PluginDefinition<Options = any> {
  name: string;
  version: string;
  description?: string;
  /** zod schema for `plugins.options[name]` in the config */
  options?: ZodType<Options>;
  /** per-type payload schemas this plugin contributes (makes the type "known") */
  events?: Record<string, ZodType>;
  /**
   * What depends on the parsed options, called once at load (before setup): handlers per
   * configured target, queues the plugin publishes into without consuming (broker-held delays).
   * Derived handlers run inline: a worker thread re-imports the module and sees only `handlers`.
   */
  configure?(options: Options): PluginExtension;
  setup?(ctx: SetupContext<Options>): Promise<void> | void;
  /** `ctx` reaches what this host's setup() registered (a plugin module serves every host in the process) */
  teardown?(ctx: TeardownContext): Promise<void> | void;
  handlers: Record<string, HandlerDefinition>;
}

export interface TeardownContext {
  logger: Logger;
  resolve<T = unknown>(name: string): T;
}

/** A queue a plugin publishes into but does not consume: a broker-held delay tier, say. Names unprefixed. */
export interface PluginQueue {
  name: string;
  /** x-message-ttl: how long a message waits before it dead-letters */
  messageTtlMs?: number;
  /** where expired messages go; `routingKey` replaces theirs (x-dead-letter-routing-key) */
  deadLetter?: { exchange: string; routingKey?: string };
  /** what fills it */
  bindings?: { exchange: string; routingKey: string }[];
}

/** What `configure(options)` adds to a plugin once its options are known. */
export interface PluginExtension {
  /** more handlers; their names must not clash with the declared ones */
  handlers?: Record<string, HandlerDefinition>;
  queues?: PluginQueue[];
}
