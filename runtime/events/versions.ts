import type { z, ZodType } from 'zod';

/** One older shape of an event type and how to lift its payload one version up. */
export interface PreviousVersion {
  version: number;
  schema: ZodType;
  /** this version's payload → the next version's payload */
  upcast(data: unknown): unknown;
}

/**
 * The schema versions of one event type, oldest first. A handler always sees the newest shape:
 * an event that names an older version in `dataschema` (or matches an older shape only) is lifted
 * through each upcaster in turn at decode, and at publish.
 *
 * ```ts
 * const orderPacked = EventVersions.of(z.object({ orderId: z.string() }))
 *   .next(z.object({ orderData: z.object({ id: z.string() }) }), (v1) => ({ orderData: { id: v1.orderId } }));
 * ```
 */
export class EventVersions<S extends ZodType = ZodType, Older = never> {
  /** the payload types of the older versions (type level only: what `publish` still accepts) */
  declare readonly olderPayloads?: Older;

  private constructor(
    /** the newest schema: what handlers receive and `publish` is typed with */
    readonly schema: S,
    /** 1 for a type with one shape */
    readonly version: number,
    /** older versions, oldest first */
    readonly previous: readonly PreviousVersion[],
  ) {}

  static of<S extends ZodType>(schema: S): EventVersions<S, never> {
    return new EventVersions(schema, 1, []);
  }

  /** A new version whose payloads the previous one's upcaster produces. */
  next<N extends ZodType>(schema: N, upcast: (previous: z.input<S>) => z.input<N>): EventVersions<N, Older | z.input<S>> {
    const prior: PreviousVersion = { version: this.version, schema: this.schema, upcast: upcast as (data: unknown) => unknown };
    return new EventVersions(schema, this.version + 1, [...this.previous, prior]);
  }
}

/** What a plugin's `events:` (or the catalog) gives per type: one schema, or its versions. */
export type EventSchemaInput = ZodType | EventVersions<ZodType, unknown>;

export function asVersions(input: EventSchemaInput): EventVersions<ZodType, unknown> {
  return input instanceof EventVersions ? input : EventVersions.of(input);
}

/** The payload type an `events:` entry declares: the newest version's input. */
export type PayloadOf<I> = I extends EventVersions<infer S, unknown> ? z.input<S> : I extends ZodType ? z.input<I> : never;

/** What `publish` accepts for an `events:` entry: the newest payload or any older version's (upcast on the way). */
export type AcceptedPayloadOf<I> = I extends EventVersions<infer S, infer Older> ? z.input<S> | Older : I extends ZodType ? z.input<I> : never;

/** `dataschema` of version `n` of `type`: what this runtime stamps on every event it publishes. */
export function dataschemaOf(type: string, version: number): string {
  return `urn:stokcerdas:event:${type}:v${version}`;
}

const DATASCHEMA = /^urn:stokcerdas:event:([a-z0-9_.-]+):v(\d+)$/i;

/** The version a `dataschema` names for `type`; undefined for a foreign or absent URI. */
export function versionNamed(type: string, dataschema: unknown): number | undefined {
  if (typeof dataschema !== 'string') return undefined;
  const match = DATASCHEMA.exec(dataschema);
  if (!match || match[1] !== type) return undefined;
  return Number(match[2]);
}
