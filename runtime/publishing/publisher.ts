import { StokcerdasError, ErrorCodes } from '../errors.ts';
import type { Clock } from '../clock/index.ts';
import type { ContextProvider } from '../context/provider.ts';
import { buildEvent, toCarriedMessage, toMessage } from '../events/codec.ts';
import { Rejection, type SchemaRegistry } from '../events/schemas.ts';
import type { CloudEventWire, ExtensionValue, PublishOptions, StokEvent } from '../events/types.ts';
import type { OutgoingMessage, Transport } from '../transport/contract.ts';
import { exchangeForType } from '../topology/domains.ts';
import { prefixed } from '../topology/names.ts';
import type { OutboxPublisher } from '../pipeline/outbox.ts';
import type { PendingPublish } from '../pipeline/types.ts';
import type { LocalSubscriptions } from './local-subscriptions.ts';

export interface PublisherDeps {
  transport: Transport;
  prefix: string;
  clock: Clock;
  provider: ContextProvider;
  /** the business context flattened into CloudEvents extensions (docs/wire-format.md) */
  extensionsFor(event: { context: StokEvent['context'] }): Record<string, ExtensionValue>;
  registry: SchemaRegistry;
  source: string;
  appId: string;
  defaultPriority: number;
  defaultTtlMs: number;
  local?: LocalSubscriptions;
  onPublished?(event: StokEvent): void;
}

/** Turns `publish(type, data, options)` into a confirmed CloudEvent on the type's exchange. */
export class Publisher implements OutboxPublisher {
  /** the memory transport takes a snapshot of the event instead of its JSON bytes */
  private readonly carriesEvents: boolean;

  constructor(private readonly deps: PublisherDeps) {
    this.carriesEvents = deps.transport.carriesEvents === true;
  }

  /** `<prefix>.<domain exchange>` per event type: looked up on every publish */
  private readonly exchanges = new Map<string, string>();

  /** Builds, validates and encodes; throws EVENT_INVALID before anything is sent. */
  prepare(type: string, data: unknown, options?: PublishOptions): { event: StokEvent; message: OutgoingMessage } {
    const { deps } = this;
    // an older version of a known type is upcast here, so what travels is always the newest shape
    const accepted = deps.registry.accept(type, data, options?.dataschema);
    if (accepted instanceof Rejection) {
      const { problems } = accepted;
      throw new StokcerdasError(ErrorCodes.EVENT_INVALID, `cannot publish ${type}: ${problems.join('; ')}`, { type, problems });
    }
    data = accepted;
    const exchange = options?.exchange === undefined ? this.exchangeOf(type) : prefixed(deps.prefix, options.exchange);
    if (options) checkOptions(type, options);
    const now = deps.clock.now();
    // the seed's payloads carry tenant, user and correlation ids: they fill what the options leave out
    const d = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
    const wire = buildEvent(type, data, {
      id: options?.id,
      source: options?.source ?? deps.source,
      now,
      time: options?.time,
      tenantId: options?.tenantId ?? nonEmpty(d?.tenantId),
      userId: options?.userId ?? nonEmpty(d?.userId),
      correlationId: options?.correlationId ?? nonEmpty(d?.correlationId),
      causationId: options?.causationId,
      traceparent: options?.traceparent,
      dataschema: deps.registry.dataschemaOf(type) ?? options?.dataschema,
    });
    if (options?.extensions) addExtensions(type, wire, options.extensions);
    const timeMs = options?.time === undefined ? now : Date.parse(wire.time);
    const context = deps.provider.contextFor(wire, timeMs);
    Object.assign(wire, deps.extensionsFor({ context }));
    const messageOptions = {
      exchange,
      priority: options?.priority ?? deps.defaultPriority,
      ttlMs: options?.ttl ?? deps.defaultTtlMs,
      appId: deps.appId,
      routingKey: options?.routingKey,
      timeMs,
    };
    const message = this.carriesEvents ? toCarriedMessage(wire, messageOptions, deps.registry.stamp) : toMessage(wire, messageOptions);
    if (options?.persistent === false) message.properties.persistent = false;
    const event = wire as StokEvent;
    event.context = context;
    return { event, message };
  }

  publish(type: string, data: unknown, options?: PublishOptions): Promise<StokEvent> {
    let prepared: ReturnType<Publisher['prepare']>;
    try {
      prepared = this.prepare(type, data, options);
    } catch (err) {
      return Promise.reject(err);
    }
    // the callback holds the event alone while the confirm is awaited (a publish window of them)
    const event = prepared.event;
    return this.deps.transport.publish(prepared.message).then(() => {
      this.announce(event);
      return event;
    });
  }

  private exchangeOf(type: string): string {
    let exchange = this.exchanges.get(type);
    if (exchange === undefined) {
      const domain = exchangeForType(type);
      if (!domain) {
        throw new StokcerdasError(
          ErrorCodes.EVENT_INVALID,
          `cannot publish ${type}: its domain has no exchange (inventory, orders, customers, analytics, indonesian.business); pass { exchange } to choose one`,
          { type },
        );
      }
      exchange = prefixed(this.deps.prefix, domain);
      // types are few; a producer inventing types must not grow this without bound
      if (this.exchanges.size >= 1_000) this.exchanges.clear();
      this.exchanges.set(type, exchange);
    }
    return exchange;
  }

  /** All validated first, then one confirm wait for the lot. */
  /** Every event validated before any is sent; EVENT_INVALID names each bad one (`details.invalid`). */
  async publishMany(items: PendingPublish[]): Promise<StokEvent[]> {
    const prepared: ReturnType<Publisher['prepare']>[] = [];
    const invalid: { index: number; message: string }[] = [];
    items.forEach((item, index) => {
      try {
        prepared.push(this.prepare(item.type, item.data, item.options));
      } catch (err) {
        if (!(err instanceof StokcerdasError) || err.code !== ErrorCodes.EVENT_INVALID) throw err;
        invalid.push({ index, message: err.message });
      }
    });
    if (invalid.length > 0) {
      if (items.length === 1) throw new StokcerdasError(ErrorCodes.EVENT_INVALID, invalid[0]!.message, { invalid });
      throw new StokcerdasError(ErrorCodes.EVENT_INVALID, `cannot publish: ${invalid.map((p) => `[${p.index}] ${p.message}`).join('; ')}`, { invalid });
    }
    if (prepared.length === 1) await this.deps.transport.publish(prepared[0]!.message);
    else await this.deps.transport.publishBatch(prepared.map((p) => p.message));
    for (const p of prepared) this.announce(p.event);
    return prepared.map((p) => p.event);
  }

  /** Events a handler emitted inherit tenant, user and correlation from the event it handled, so a chain of events can be followed by one id. */
  publishCaused(pending: PendingPublish[], cause: StokEvent): Promise<StokEvent[]> {
    return this.publishMany(
      pending.map((p) => ({
        type: p.type,
        data: p.data,
        options: {
          tenantId: cause.tenantid,
          userId: cause.userid,
          correlationId: cause.correlationid ?? cause.id,
          traceparent: cause.traceparent,
          ...p.options,
          causationId: cause.id,
        },
      })),
    );
  }

  private announce(event: StokEvent): void {
    this.deps.onPublished?.(event);
    if (this.deps.local && this.deps.local.size > 0) this.deps.local.emit(event);
  }
}

function checkOptions(type: string, options: PublishOptions): void {
  if (options.priority !== undefined && (!Number.isInteger(options.priority) || options.priority < 0 || options.priority > 9)) {
    throw new StokcerdasError(ErrorCodes.EVENT_INVALID, `cannot publish ${type}: priority must be an integer 0–9`, { type });
  }
  if (options.routingKey !== undefined && (typeof options.routingKey !== 'string' || options.routingKey === '' || /[*#]/.test(options.routingKey))) {
    throw new StokcerdasError(ErrorCodes.EVENT_INVALID, `cannot publish ${type}: routingKey must be a non-empty string without * or #`, { type });
  }
}

const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const RESERVED = new Set(['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'dataschema', 'subject', 'data', 'tenantid', 'userid', 'correlationid', 'causationid', 'traceparent']);

/** Caller extensions fill only names the event does not carry yet: ids, context and core attributes stay the runtime's. */
function addExtensions(type: string, wire: CloudEventWire, extensions: Record<string, ExtensionValue>): void {
  for (const [name, value] of Object.entries(extensions)) {
    const valid = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value));
    if (!EXTENSION_NAME.test(name) || !valid) {
      throw new StokcerdasError(ErrorCodes.EVENT_INVALID, `cannot publish ${type}: extension "${name}" must be named with 1–20 lowercase letters or digits and be a string, integer or boolean`, { type, extension: name });
    }
    if (RESERVED.has(name) || name in wire || name.startsWith('indo')) {
      throw new StokcerdasError(ErrorCodes.EVENT_INVALID, `cannot publish ${type}: extension "${name}" is the runtime's own attribute`, { type, extension: name });
    }
    wire[name] = value;
  }
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
