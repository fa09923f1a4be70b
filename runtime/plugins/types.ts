import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Clock } from '../clock/index.ts';
import type { PublishOptions, StokEvent } from '../events/types.ts';
import type { PublishPayloadFor } from '../events/event-types.ts';
import type { EventSchemaInput } from '../events/versions.ts';
import type { IndonesianCalendar } from '../context/indonesia/calendar.ts';
import type { PauseControl } from '../host/pause-control.ts';
import type { RetryPolicy, BatchPolicy, ResolvedConfig } from '../../config/schema.ts';

/** What a plugin folder's index default-exports. */

export interface SubscribeSpec {
  /** exchange name without the prefix; default: the domain exchange of the first routing key */
  exchange?: string;
  routingKeys: string[];
  /** queue name without the prefix; default: `<plugin>.<handler>` */
  queue?: string;
}

/**
 * The container's services by name, as `ctx.resolve(name)` returns them. A plugin that registers
 * a service in `setup` types it by declaration merging:
 * `declare module 'stokcerdas' { interface ServiceTypes { 'my-cache': MyCache } }`.
 */
export interface ServiceTypes {
  logger: Logger;
  clock: Clock;
  config: ResolvedConfig;
  calendar: IndonesianCalendar;
  /** publishes at once and resolves with the event once the broker confirms it */
  publish: (type: string, data: unknown, options?: PublishOptions) => Promise<StokEvent>;
  /** pause and resume consuming a binding's queue */
  pause: PauseControl;
  /** @deprecated the old name of `pause`, kept for one release (resolving it logs a warning) */
  bindings: PauseControl;
}

/** `resolve(name)`: typed for the services above; anything else needs a type argument (or is `unknown`). */
export interface ServiceResolver {
  resolve<K extends keyof ServiceTypes>(name: K): ServiceTypes[K];
  resolve<T = unknown>(name: string): T;
}

/**
 * Publish from inside a handler: collected, sent only after the handler succeeds (outbox). A
 * known type's payload is checked at compile time (its newest shape, or an older version's, which
 * is upcast); `Own` are the payloads the plugin's own `events:` accept.
 */
export type OutboxPublish<Own = {}> = <T extends string>(type: T, data: PublishPayloadFor<T, Own>, options?: PublishOptions) => void;

export interface HandlerContext<Options = unknown, Own = {}> extends ServiceResolver {
  logger: Logger;
  publish: OutboxPublish<Own>;
  /** 1 on first delivery, n on the n-th */
  attempt: number;
  /** `plugin/handler` */
  handler: string;
  clock: Clock;
  /** aborted when the handler times out */
  signal: AbortSignal;
  /** the plugin's options, parsed by its `options` schema */
  options: Options;
}

/** What every handler may set besides its subscription and function. */
export interface HandlerSettings {
  mode?: 'inline' | 'worker';
  batch?: Partial<BatchPolicy>;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  prefetch?: number;
  concurrency?: number;
}

/**
 * A handler as the runtime holds it. Plugin authors get a narrower, inferred type from
 * `definePlugin` (the event of the routing keys it subscribes to); this one accepts every such
 * handler. It receives one event, or an array when `batch` is set.
 */
export interface HandlerDefinition extends HandlerSettings {
  subscribe: SubscribeSpec;
  handle(event: StokEvent | StokEvent[], ctx: HandlerContext): Promise<void> | void;
}

export interface SetupContext<Options = unknown, Own = {}> extends ServiceResolver {
  logger: Logger;
  options: Options;
  clock: Clock;
  config: ResolvedConfig;
  /** publishes at once and resolves on the broker confirm */
  publish<T extends string>(type: T, data: PublishPayloadFor<T, Own>, options?: PublishOptions): Promise<void>;
  /** register a service other plugins and handlers can resolve */
  register(name: string, value: unknown): void;
}

export interface PluginDefinition<Options = unknown> {
  name: string;
  version: string;
  description?: string;
  /** zod schema for `plugins.options[name]` in the config */
  options?: ZodType<Options>;
  /** per-type payload schemas (or their versions) this plugin contributes (makes the type "known") */
  events?: Record<string, EventSchemaInput>;
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

export interface TeardownContext extends ServiceResolver {
  logger: Logger;
}

/** A queue a plugin publishes into but does not consume: a broker-held delay tier, say. Names unprefixed. */
export interface PluginQueue {
  name: string;
  /** x-message-ttl: how long a message waits before it dead-letters */
  messageTtlMs?: number;
  /** where expired messages go; `routingKey` replaces theirs (x-dead-letter-routing-key) */
  deadLetter?: { exchange: string; routingKey?: string };
  /** what fills it: routes from exchanges by routing key */
  routes?: { exchange: string; routingKey: string }[];
  /** @deprecated the old name of `routes`, read for one more release (the host warns) */
  bindings?: { exchange: string; routingKey: string }[];
}

/** What `configure(options)` adds to a plugin once its options are known. */
export interface PluginExtension {
  /** more handlers; their names must not clash with the declared ones */
  handlers?: Record<string, HandlerDefinition>;
  queues?: PluginQueue[];
}
