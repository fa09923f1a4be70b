import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Clock } from '../clock/index.ts';
import type { PublishOptions, StokEvent } from '../events/types.ts';
import type { RetryPolicy, BatchPolicy, ResolvedConfig } from '../../config/schema.ts';

/** DESIGN §7: what a plugin folder's index default-exports. */

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
  setup?(ctx: SetupContext<Options>): Promise<void> | void;
  teardown?(): Promise<void> | void;
  handlers: Record<string, HandlerDefinition>;
}
