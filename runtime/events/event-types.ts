import type { CatalogAcceptedPayloads, CatalogPayloads } from './catalog/index.ts';
import type { StokEvent } from './types.ts';

/**
 * Every known event type and the payload its handlers receive (the newest version). The catalog's
 * types are here; a plugin adds its own by declaration merging:
 *
 * ```ts
 * declare module 'stokcerdas' {
 *   interface EventTypes { 'loyalty.points.awarded': { customerId: string; points: number } }
 * }
 * ```
 * (a plugin's `events:` schemas type its own handlers and `publish` without this).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventTypes extends CatalogPayloads {}

export type KnownEventType = keyof EventTypes & string;

/** `a.b.c` → `['a', 'b', 'c']` */
type Words<S extends string> = S extends `${infer Head}.${infer Tail}` ? [Head, ...Words<Tail>] : [S];

/** AMQP topic matching at the type level: `*` is one word, `#` zero or more. */
type WordsMatch<Pattern extends string[], Type extends string[]> = Pattern extends [infer P extends string, ...infer PRest extends string[]]
  ? P extends '#'
    ? WordsMatch<PRest, Type> extends true
      ? true
      : Type extends [string, ...infer TRest extends string[]]
        ? WordsMatch<Pattern, TRest>
        : false
    : Type extends [infer T extends string, ...infer TRest extends string[]]
      ? P extends '*'
        ? WordsMatch<PRest, TRest>
        : P extends T
          ? WordsMatch<PRest, TRest>
          : false
      : false
  : Type extends []
    ? true
    : false;

/** The types among `Known` a routing-key pattern matches (never for a non-literal pattern). */
export type TypesMatching<Pattern extends string, Known extends string> = string extends Pattern
  ? never
  : Pattern extends unknown
    ? Known extends unknown
      ? WordsMatch<Words<Pattern>, Words<Known>> extends true
        ? Known
        : never
      : never
    : never;

/** Payloads by type: the registry's, plus a plugin's own `events:`. */
export type PayloadMap<Own> = Omit<EventTypes, keyof Own> & Own;

/** A known type's event, narrowed by its `type`. */
type KnownEvent<Map, K extends keyof Map & string> = K extends unknown ? StokEvent<Map[K]> & { type: K } : never;

/** Whether some pattern matches no known type: its events are `StokEvent<unknown>`. */
type AnyUnmatched<Patterns extends string, Known extends string> = Patterns extends unknown ? ([TypesMatching<Patterns, Known>] extends [never] ? true : never) : never;

/**
 * The event a handler subscribed to `Patterns` receives: a union of the known types they match,
 * each narrowed by `event.type`; a pattern that matches no known type adds `StokEvent<unknown>`.
 */
export type EventFor<Patterns extends string, Own = {}> =
  | KnownEvent<PayloadMap<Own>, TypesMatching<Patterns, keyof PayloadMap<Own> & string>>
  | (true extends AnyUnmatched<Patterns, keyof PayloadMap<Own> & string> ? StokEvent<unknown> : never);

/** A known type's payload: what its handlers receive. */
export type PayloadFor<T extends string, Own = {}> = T extends keyof PayloadMap<Own> ? PayloadMap<Own>[T] : unknown;

/**
 * The payload `publish(type, …)` takes: a known type's newest payload, or one of its older
 * versions (upcast before sending); anything for a type nobody declared. `OwnAccepted` are a
 * plugin's own `events:`.
 */
export type PublishPayloadFor<T extends string, OwnAccepted = {}> = T extends keyof OwnAccepted
  ? OwnAccepted[T]
  : T extends keyof CatalogAcceptedPayloads
    ? CatalogAcceptedPayloads[T] | EventTypes[T]
    : PayloadFor<T>;
