import { PoisonMessageError } from '../errors.ts';
import type { Delivery, MessageProperties, OutgoingMessage } from '../transport/contract.ts';
import { CarriedMessage, EventSnapshot } from '../transport/event-snapshot.ts';
import type { CloudEventWire, PublishOptions } from './types.ts';
import { Rejection, type SchemaRegistry } from './schemas.ts';
import { seedEnvelope } from './seed-envelope.ts';
import { parseTime } from './time.ts';
import { eventId } from './event-id.ts';

/** Structured-mode CloudEvents 1.0 on the wire (docs/wire-format.md). */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

const CORE_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'dataschema', 'subject', 'data', 'data_base64'];
const REQUIRED_ATTRIBUTES = ['id', 'source', 'type'] as const;
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

export interface BuildEventInput extends PublishOptions {
  source: string;
  now: number;
}

export function buildEvent(type: string, data: unknown, input: BuildEventInput): CloudEventWire {
  const event: CloudEventWire = {
    specversion: '1.0',
    id: input.id ?? eventId(),
    source: input.source,
    type,
    time: input.time === undefined ? isoOf(input.now) : toRfc3339(input.time),
    datacontenttype: 'application/json',
    data,
  };
  if (input.dataschema) event.dataschema = input.dataschema;
  if (input.tenantId) event.tenantid = input.tenantId;
  if (input.userId) event.userid = input.userId;
  if (input.correlationId) event.correlationid = input.correlationId;
  if (input.causationId) event.causationid = input.causationId;
  if (input.traceparent) event.traceparent = input.traceparent;
  return event;
}

let isoMs = Number.NaN;
let isoText = '';

/** `new Date(ms).toISOString()`, remembered for the last millisecond: a busy publisher stamps many events in one */
function isoOf(ms: number): string {
  if (ms !== isoMs) {
    isoText = new Date(ms).toISOString();
    isoMs = ms;
  }
  return isoText;
}

function toRfc3339(time: string | number | Date): string {
  const date = time instanceof Date ? time : new Date(time);
  if (Number.isNaN(date.getTime())) throw new TypeError(`time ${String(time)} is not a valid date`);
  return date.toISOString();
}

export interface MessageOptions {
  exchange: string;
  priority: number;
  ttlMs: number;
  appId: string;
  /** default: the event's type */
  routingKey?: string;
  /** the event's `time` as epoch ms, when the caller has it (saves parsing it back) */
  timeMs?: number;
}

/** The AMQP properties mirror the event, so broker tools can filter and expire without parsing the body. */
export function toMessage(event: CloudEventWire, options: MessageOptions): OutgoingMessage {
  return {
    exchange: options.exchange,
    routingKey: options.routingKey ?? event.type,
    body: utf8(JSON.stringify(event)),
    properties: propertiesOf(event, options),
  };
}

/**
 * The message for a transport that carries events: a snapshot of the event instead of its bytes
 * (runtime/transport/event-snapshot.ts). A consumer checks a body twice, as a CloudEvent and against
 * its type's schema: the first check runs here, once, on the snapshot itself, and the publisher's
 * registry made the second to build the event; `stamp` (that registry's) vouches for both, and a
 * consumer whose registry has the same stamp skips them.
 */
export function toCarriedMessage(event: CloudEventWire, options: MessageOptions, stamp: object): OutgoingMessage {
  const snapshot = EventSnapshot.take(event, (value) => (cloudEventProblems(value).length === 0 ? stamp : undefined));
  return new CarriedMessage(options.exchange, options.routingKey ?? event.type, snapshot, propertiesOf(event, options));
}

function propertiesOf(event: CloudEventWire, options: MessageOptions): MessageProperties {
  return {
    messageId: event.id,
    type: event.type,
    timestamp: Math.floor((options.timeMs ?? parseTime(event.time)) / 1000),
    correlationId: event.correlationid,
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    priority: options.priority,
    expiration: options.ttlMs,
    appId: options.appId,
    persistent: true,
  };
}

const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabOffset = 0;

/**
 * `Buffer.from(string)`, carved from a 256 KiB slab. Node's own 8 KiB pool is replaced whenever
 * `3 × length` no longer fits, which for ~1 KiB events meant a fresh ArrayBuffer every second or
 * third publish (and the external-memory pressure that brings GC forward).
 */
function utf8(text: string): Buffer {
  const worstCase = text.length * 3;
  if (worstCase > SLAB_BYTES / 4) return Buffer.from(text);
  if (worstCase > SLAB_BYTES - slabOffset) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabOffset = 0;
  }
  const written = slab.write(text, slabOffset);
  const body = slab.subarray(slabOffset, slabOffset + written);
  // the next body starts 8-aligned, as Node's pool does
  slabOffset = (slabOffset + written + 7) & ~7;
  return body;
}

/**
 * Body → validated CloudEvent, or PoisonMessageError with every problem. A plain JSON object is
 * accepted when the routing key names a known type: it becomes the event's `data`. A delivery
 * that carries its event (memory transport) is that object already: no JSON to parse, and no checks
 * when this registry vouched for it at publish.
 */
export function decodeDelivery(delivery: Delivery, registry: SchemaRegistry, now: () => number): CloudEventWire {
  const carried = delivery.event;
  if (carried !== undefined) {
    if (delivery.eventValidatedBy === registry.stamp) return carried as CloudEventWire;
    return decodeRecord(carried, delivery, registry, now);
  }
  let body: unknown;
  try {
    body = JSON.parse(delivery.body.toString('utf8'));
  } catch (err) {
    throw new PoisonMessageError(`body is not JSON: ${(err as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PoisonMessageError(`body is not a JSON object (got ${Array.isArray(body) ? 'array' : typeof body})`);
  }
  return decodeRecord(body as Record<string, unknown>, delivery, registry, now);
}

function decodeRecord(record: Record<string, unknown>, delivery: Delivery, registry: SchemaRegistry, now: () => number): CloudEventWire {
  const event = 'specversion' in record ? checkCloudEvent(record) : wrapPlain(record, delivery, registry, now);
  const accepted = registry.accept(event.type, event.data, event.dataschema);
  if (accepted instanceof Rejection) {
    throw new PoisonMessageError(`event ${event.id} of type ${event.type} fails its schema: ${accepted.problems.join('; ')}`, accepted.problems);
  }
  if (accepted !== event.data) {
    // an older version, upcast: the event now says which shape it carries
    event.data = accepted;
    event.dataschema = registry.dataschemaOf(event.type);
  }
  return event;
}

function checkCloudEvent(record: Record<string, unknown>): CloudEventWire {
  const problems = cloudEventProblems(record);
  if (problems.length > 0) {
    throw new PoisonMessageError(`not a valid CloudEvent: ${problems.join('; ')}`, problems);
  }
  const event = record as unknown as CloudEventWire;
  if (event.time === undefined) event.time = new Date().toISOString();
  if (event.datacontenttype === undefined) event.datacontenttype = 'application/json';
  return event;
}

/** Why `record` is not a CloudEvent this runtime takes; empty when it is one. */
function cloudEventProblems(record: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (record.specversion !== '1.0') problems.push(`specversion: must be "1.0" (got ${JSON.stringify(record.specversion)})`);
  for (const attr of REQUIRED_ATTRIBUTES) {
    if (typeof record[attr] !== 'string' || record[attr] === '') problems.push(`${attr}: must be a non-empty string`);
  }
  if (record.time !== undefined && (typeof record.time !== 'string' || Number.isNaN(parseTime(record.time)))) {
    problems.push('time: must be an RFC 3339 timestamp');
  }
  if (record.datacontenttype !== undefined && record.datacontenttype !== 'application/json' && !/json/i.test(String(record.datacontenttype))) {
    problems.push(`datacontenttype: must be application/json (got ${JSON.stringify(record.datacontenttype)})`);
  }
  for (const name in record) {
    const core = knownNames.get(name);
    if (core === true) continue;
    if (core === undefined && !isExtensionName(name)) problems.push(`${name}: extension names are 1–20 lowercase letters or digits`);
    else if (!isExtensionValue(record[name])) problems.push(`${name}: extension values are strings, integers or booleans`);
  }
  return problems;
}

/**
 * Attribute names seen before, each to whether it is a core attribute (true) or a valid extension
 * name (false): the same dozen names arrive on every event, each found with one lookup.
 */
const knownNames = new Map<string, boolean>(CORE_ATTRIBUTES.map((name) => [name, true]));

function isExtensionName(name: string): boolean {
  if (knownNames.get(name) === false) return true;
  if (!EXTENSION_NAME.test(name)) return false;
  if (knownNames.size < 1_000) knownNames.set(name, false);
  return true;
}

function isExtensionValue(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value));
}

/**
 * A plain JSON body (no `specversion`): either the seed's serialised event (`eventId`, `eventType`,
 * `timestamp` and the base context at the top, the domain parts beside them) or a bare payload.
 * Its type is the seed envelope's `eventType` when known, else the routing key.
 */
function wrapPlain(record: Record<string, unknown>, delivery: Delivery, registry: SchemaRegistry, now: () => number): CloudEventWire {
  const envelope = seedEnvelope(record, (type) => registry.has(type));
  const type = envelope?.type !== undefined && registry.has(envelope.type) ? envelope.type : delivery.routingKey;
  if (!registry.has(type)) {
    throw new PoisonMessageError(`body is not a CloudEvent and routing key "${type}" is not a known event type`);
  }
  const props = delivery.properties;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const data = envelope ? envelope.data : record;
  if (envelope?.time !== undefined && Number.isNaN(new Date(envelope.time).getTime())) {
    throw new PoisonMessageError(`timestamp: ${JSON.stringify(envelope.time)} is not a valid date`, ['timestamp: not a valid date']);
  }
  return buildEvent(type, data, {
    id: envelope?.id ?? str(props.messageId) ?? eventId(),
    source: `urn:stokcerdas:wrapped:${delivery.exchange || 'default'}`,
    now: now(),
    time: envelope?.time ?? (props.timestamp ? props.timestamp * 1000 : undefined),
    tenantId: envelope?.tenantId ?? str(record.tenantId),
    userId: envelope?.userId ?? str(record.userId),
    correlationId: envelope?.correlationId ?? str(props.correlationId) ?? str(record.correlationId),
    causationId: envelope?.causationId,
  });
}
