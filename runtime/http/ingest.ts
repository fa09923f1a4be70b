import type { PublishOptions } from '../events/types.ts';
import { seedEnvelope } from '../events/seed-envelope.ts';

/** One event to publish, from a POST /events body. */
export interface IngestItem {
  type: string;
  data: unknown;
  options: PublishOptions;
}

export interface ParsedIngest {
  items: IngestItem[];
  /** every problem, by path (`[2].type: …` in an array, `type: …` for one event) */
  problems: string[];
  /** the body was an array: the answer lists one id per element */
  batch: boolean;
}

// the extensions the host computes itself (docs/wire-format.md): accepted and recomputed, never trusted
const COMPUTED_EXTENSIONS = /^indo/;
const CLOUDEVENT_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'dataschema', 'data', 'tenantid', 'userid', 'correlationid', 'causationid', 'traceparent']);
const PLAIN_FIELDS = new Set(['type', 'data', 'id', 'time', 'tenantId', 'userId', 'correlationId', 'causationId', 'priority', 'ttl']);

/**
 * A POST /events body: one event or an array; each a CloudEvent in structured JSON (it has
 * `specversion`) or the plain form `{ type, data, tenantId?, userId?, correlationId?, priority?, ttl? }`.
 * Collects every problem instead of stopping at the first, so a client fixes its request once.
 */
export function parseIngestBody(text: string): ParsedIngest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { items: [], problems: [`body: not JSON (${(err as Error).message})`], batch: false };
  }
  const batch = Array.isArray(body);
  const list: unknown[] = batch ? (body as unknown[]) : [body];
  if (list.length === 0) return { items: [], problems: ['body: an empty array has no event to publish'], batch };
  const items: IngestItem[] = [];
  const problems: string[] = [];
  list.forEach((entry, index) => {
    const at = (field: string) => (batch ? `[${index}]${field ? `.${field}` : ''}` : field || 'body');
    const found: string[] = [];
    const item = parseOne(entry, (field, message) => found.push(`${at(field)}: ${message}`));
    if (found.length > 0) problems.push(...found);
    else if (item) items.push(item);
  });
  return { items: problems.length > 0 ? [] : items, problems, batch };
}

type Report = (field: string, message: string) => void;

function parseOne(entry: unknown, report: Report): IngestItem | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    report('', `must be an event object (got ${entry === null ? 'null' : Array.isArray(entry) ? 'an array' : typeof entry})`);
    return undefined;
  }
  const record = entry as Record<string, unknown>;
  if ('specversion' in record) return parseCloudEvent(record, report);
  if (!('data' in record) && ('eventType' in record || 'eventId' in record)) return parseSeedEvent(record, report);
  return parsePlain(record, report);
}

function parseCloudEvent(e: Record<string, unknown>, report: Report): IngestItem | undefined {
  if (e.specversion !== '1.0') report('specversion', `must be "1.0" (got ${JSON.stringify(e.specversion)})`);
  for (const attr of ['id', 'source', 'type'] as const) {
    if (typeof e[attr] !== 'string' || e[attr] === '') report(attr, 'must be a non-empty string');
  }
  checkTime(e.time, 'time', report);
  if (e.datacontenttype !== undefined && !/json/i.test(String(e.datacontenttype))) {
    report('datacontenttype', `must be application/json (got ${JSON.stringify(e.datacontenttype)})`);
  }
  if (!('data' in e)) report('data', 'is required (the event payload)');
  for (const attr of ['tenantid', 'userid', 'correlationid', 'causationid', 'traceparent'] as const) {
    if (e[attr] !== undefined && typeof e[attr] !== 'string') report(attr, 'must be a string');
  }
  for (const name of Object.keys(e)) {
    if (!CLOUDEVENT_ATTRIBUTES.has(name) && !COMPUTED_EXTENSIONS.test(name)) {
      report(name, 'is not accepted here: use data, tenantid, userid, correlationid, causationid or traceparent');
    }
  }
  if (typeof e.type !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    type: e.type,
    data: e.data,
    options: definedOnly({
      id: str(e.id),
      source: str(e.source),
      time: str(e.time),
      tenantId: str(e.tenantid),
      userId: str(e.userid),
      correlationId: str(e.correlationid),
      causationId: str(e.causationid),
      traceparent: str(e.traceparent),
      dataschema: str(e.dataschema),
    }),
  };
}

/** The seed's serialised event: base fields at the top, the domain parts beside them. */
function parseSeedEvent(e: Record<string, unknown>, report: Report): IngestItem | undefined {
  const envelope = seedEnvelope(e, () => true);
  if (!envelope?.type) {
    report('eventType', 'must be a non-empty string (the event type, e.g. "inventory.stock.level.changed")');
    return undefined;
  }
  for (const field of ['eventId', 'tenantId', 'userId', 'correlationId'] as const) {
    if (e[field] !== undefined && (typeof e[field] !== 'string' || e[field] === '')) report(field, 'must be a non-empty string');
  }
  const time = envelope.time;
  if (e.timestamp !== undefined && (time === undefined || Number.isNaN(new Date(time).getTime()))) report('timestamp', 'must be an RFC 3339 timestamp or epoch milliseconds');
  return {
    type: envelope.type,
    data: envelope.data,
    options: definedOnly({
      id: envelope.id,
      time: envelope.time,
      tenantId: envelope.tenantId,
      userId: envelope.userId,
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
    }),
  };
}

function parsePlain(e: Record<string, unknown>, report: Report): IngestItem | undefined {
  if (typeof e.type !== 'string' || e.type === '') report('type', 'must be a non-empty string (the event type, e.g. "orders.order.created")');
  if (!('data' in e) || e.data === undefined) report('data', 'is required (the event payload)');
  for (const field of ['id', 'tenantId', 'userId', 'correlationId', 'causationId'] as const) {
    if (e[field] !== undefined && (typeof e[field] !== 'string' || e[field] === '')) report(field, 'must be a non-empty string');
  }
  checkTime(e.time, 'time', report);
  if (e.priority !== undefined && !(Number.isInteger(e.priority) && (e.priority as number) >= 0 && (e.priority as number) <= 9)) {
    report('priority', 'must be an integer 0–9');
  }
  if (e.ttl !== undefined && !(Number.isInteger(e.ttl) && (e.ttl as number) > 0)) report('ttl', 'must be a positive integer (milliseconds)');
  for (const name of Object.keys(e)) {
    if (!PLAIN_FIELDS.has(name)) report(name, `unknown field (accepted: ${[...PLAIN_FIELDS].join(', ')}; or send a CloudEvent with specversion)`);
  }
  if (typeof e.type !== 'string') return undefined;
  return {
    type: e.type,
    data: e.data,
    options: definedOnly({
      id: e.id as string | undefined,
      time: e.time as string | undefined,
      tenantId: e.tenantId as string | undefined,
      userId: e.userId as string | undefined,
      correlationId: e.correlationId as string | undefined,
      causationId: e.causationId as string | undefined,
      priority: e.priority as number | undefined,
      ttl: e.ttl as number | undefined,
    }),
  };
}

function checkTime(value: unknown, field: string, report: Report): void {
  if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) report(field, 'must be an RFC 3339 timestamp');
}

function definedOnly<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
