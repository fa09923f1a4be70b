/**
 * The seed's `BaseEvent` serialised: `{ eventId, eventType, timestamp, tenantId, userId,
 * correlationId, …domain parts }` (some producers write `id` and `type`). Its ids and time become
 * the CloudEvent's attributes and extensions; what is left is the event's `data`.
 */
export interface SeedEnvelope {
  id?: string;
  type?: string;
  /** RFC 3339 or epoch milliseconds, as the seed's `timestamp` came */
  time?: string | number;
  tenantId?: string;
  userId?: string;
  correlationId?: string;
  causationId?: string;
  data: Record<string, unknown>;
}

/** The base fields of the seed's events: never part of `data`. */
export const SEED_BASE_FIELDS = new Set([
  'eventId',
  'id',
  'eventType',
  'type',
  'timestamp',
  'occurredAt',
  'version',
  'eventVersion',
  'tenantId',
  'userId',
  'correlationId',
  'causationId',
  'metadata',
  'source',
]);

/**
 * The envelope of a seed-serialised body, or undefined for a bare payload. A body is taken for
 * the seed's when it has `eventId` or `eventType`, or an `id` beside a `type` that names a known
 * event type: a bare payload of a known type has neither (its ids are `productId`, `orderData.id`, …).
 */
export function seedEnvelope(record: Record<string, unknown>, isKnownType: (type: string) => boolean): SeedEnvelope | undefined {
  const eventType = text(record.eventType) ?? (typeof record.type === 'string' && isKnownType(record.type) ? record.type : undefined);
  const eventId = text(record.eventId) ?? (eventType !== undefined ? text(record.id) : undefined);
  if (text(record.eventId) === undefined && text(record.eventType) === undefined && !(eventId && eventType)) return undefined;
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (!SEED_BASE_FIELDS.has(key)) data[key] = record[key];
  const time = record.timestamp ?? record.occurredAt;
  return {
    id: eventId,
    type: eventType,
    time: typeof time === 'string' || (typeof time === 'number' && Number.isFinite(time)) ? time : undefined,
    tenantId: text(record.tenantId),
    userId: text(record.userId),
    correlationId: text(record.correlationId),
    causationId: text(record.causationId),
    data,
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
