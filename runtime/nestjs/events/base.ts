import { randomUUID } from 'node:crypto';
import { SEED_BASE_FIELDS } from '../../events/seed-envelope.ts';
import type { BusinessContext, StokEvent } from '../../events/types.ts';

/** Who and what an event belongs to: the seed's first constructor argument. */
export interface EventContext {
  tenantId: string;
  userId?: string;
  correlationId?: string;
  causationId?: string;
}

/** What a received event carries besides its domain parts. */
export interface EventMetadata {
  /** the CloudEvents `source` of the producer */
  source?: string;
  dataschema?: string;
  /** the Indonesian business context for the event's own time (zone, business hours, Ramadan, holiday, …) */
  indonesianContext?: BusinessContext;
}

/** The seed's handler contract: `subscribe(type, handler)` calls `handle` with the event. */
export interface EventHandler<T extends BaseEvent<object> = BaseEvent<object>> {
  handle(event: T): Promise<void> | void;
}

/**
 * The seed's base event: ids and time at the top, the domain parts (`productData`, …) beside them.
 * Published, the domain parts are the CloudEvent's `data` (the canonical payload of the type);
 * `eventId`, `timestamp`, `tenantId`, `userId`, `correlationId` and `causationId` become its
 * `id`, `time` and extensions. Received, an instance of the same class is rebuilt from the CloudEvent.
 */
export abstract class BaseEvent<Payload extends object = Record<string, unknown>> {
  eventId: string;
  eventType: string;
  timestamp: Date;
  tenantId: string;
  userId?: string;
  correlationId?: string;
  causationId?: string;
  metadata?: EventMetadata;

  protected constructor(eventType: string, context: EventContext) {
    this.eventId = randomUUID();
    this.eventType = eventType;
    this.timestamp = new Date();
    this.tenantId = context.tenantId;
    if (context.userId !== undefined) this.userId = context.userId;
    if (context.correlationId !== undefined) this.correlationId = context.correlationId;
    if (context.causationId !== undefined) this.causationId = context.causationId;
  }

  /** The domain parts: what travels as the CloudEvent's `data`. */
  toPayload(): Payload {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(this)) {
      const value = (this as Record<string, unknown>)[key];
      if (!SEED_BASE_FIELDS.has(key) && value !== undefined) out[key] = value;
    }
    return out as Payload;
  }

  /** The seed's serialised form (base fields at the top), which the runtime also accepts as a plain JSON body. */
  toJSON(): Record<string, unknown> {
    const base: Record<string, unknown> = {
      eventId: this.eventId,
      eventType: this.eventType,
      timestamp: this.timestamp.toISOString(),
      tenantId: this.tenantId,
    };
    if (this.userId !== undefined) base.userId = this.userId;
    if (this.correlationId !== undefined) base.correlationId = this.correlationId;
    if (this.causationId !== undefined) base.causationId = this.causationId;
    return { ...base, ...this.toPayload() };
  }
}

/** An event of a type without a class of its own (a service's own types, or one received before its class was known). */
export class DomainEvent<Payload extends object = Record<string, unknown>> extends BaseEvent<Payload> {
  [part: string]: unknown;
  constructor(eventType: string, context: EventContext, payload: Payload) {
    super(eventType, context);
    Object.assign(this, payload);
  }
}

/** A class whose instances have `type`: what `fromStokEvent` rebuilds. */
export interface EventClass {
  readonly eventType: string;
  readonly prototype: BaseEvent<object>;
}

/**
 * The received CloudEvent as the seed's handler expects it: an instance of the type's class (or
 * `DomainEvent`), the payload's parts as properties, ids and time from the CloudEvent.
 */
export function fromStokEvent(event: StokEvent, classes: ReadonlyMap<string, EventClass>): BaseEvent<object> {
  const cls = classes.get(event.type);
  const instance = Object.create(cls ? cls.prototype : DomainEvent.prototype) as BaseEvent<object>;
  const data = event.data !== null && typeof event.data === 'object' && !Array.isArray(event.data) ? (event.data as Record<string, unknown>) : { data: event.data };
  instance.eventId = event.id;
  instance.eventType = event.type;
  instance.timestamp = new Date(event.time);
  instance.tenantId = event.tenantid ?? '';
  if (event.userid !== undefined) instance.userId = event.userid;
  if (event.correlationid !== undefined) instance.correlationId = event.correlationid;
  if (event.causationid !== undefined) instance.causationId = event.causationid;
  Object.assign(instance, data);
  // not enumerable: toPayload() of a received event is exactly its data
  Object.defineProperty(instance, 'metadata', {
    value: { source: event.source, dataschema: event.dataschema, indonesianContext: event.context } satisfies EventMetadata,
    enumerable: false,
    writable: true,
  });
  return instance;
}
