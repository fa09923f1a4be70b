import type { ZodType } from 'zod';
import type { EventFor } from '../events/event-types.ts';
import type { AcceptedPayloadOf, EventSchemaInput, PayloadOf } from '../events/versions.ts';
import type { BatchPolicy } from '../../config/schema.ts';
import type { HandlerContext, HandlerSettings, PluginDefinition, PluginExtension, SetupContext, SubscribeSpec, TeardownContext } from './types.ts';

/**
 * The types `definePlugin` infers, so a plugin type-checks without casts: each handler's event
 * from the routing keys it subscribes to, an array of them when it sets `batch`, `ctx.options`
 * from the `options` schema, and `ctx.publish` checked against the known types and the plugin's
 * own `events:`.
 */

/** A plugin's own `events:` as payload types. */
export type OwnPayloads<E> = { [K in keyof E & string]: PayloadOf<E[K]> };

/** What `publish` accepts for a plugin's own `events:` (older versions included). */
export type OwnAccepted<E> = { [K in keyof E & string]: AcceptedPayloadOf<E[K]> };

/** One handler as its author writes it: `Keys` are its routing keys, `Batch` its `batch` setting. */
export interface TypedHandler<Keys extends readonly string[], Batch, Options, Own, OwnAccept = Own> extends Omit<HandlerSettings, 'batch'> {
  subscribe: Omit<SubscribeSpec, 'routingKeys'> & { routingKeys: Keys };
  batch?: Batch;
  handle(
    event: [Batch] extends [Partial<BatchPolicy>] ? EventFor<Keys[number], Own>[] : EventFor<Keys[number], Own>,
    ctx: HandlerContext<Options, OwnAccept>,
  ): Promise<void> | void;
}

/** A plugin as its author writes it (see `definePlugin`). */
export interface TypedPlugin<Handlers, Batches, Options, Events> {
  name: string;
  version: string;
  description?: string;
  options?: ZodType<Options>;
  events?: Events;
  configure?(options: Options): PluginExtension;
  setup?(ctx: SetupContext<Options, OwnAccepted<Events>>): Promise<void> | void;
  teardown?(ctx: TeardownContext): Promise<void> | void;
  /*
   * Two mapped types over the same object: the first infers each handler's routing keys (its
   * `handle` is typed from them), the second whether it batches. TypeScript infers one type
   * argument per mapped type, so the two settings need one each.
   */
  handlers: {
    [K in keyof Handlers]: TypedHandler<Handlers[K] & readonly string[], K extends keyof Batches ? Batches[K] : undefined, Options, OwnPayloads<Events>, OwnAccepted<Events>>;
  } & {
    [K in keyof Batches]: { batch?: Batches[K] };
  };
}

/** What `definePlugin` gives back: the runtime's plugin shape, with its options' type. */
export type DefinedPlugin<Options> = PluginDefinition<Options>;

export type EventSchemas = Record<string, EventSchemaInput>;
