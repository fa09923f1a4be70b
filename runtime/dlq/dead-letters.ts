import { isStokcerdasError, ErrorCodes } from '../errors.ts';
import type { Delivery, HeaderValue, OutgoingMessage, Settlement, Transport } from '../transport/contract.ts';
import { eventTypeOf, type DeadLetterFilter } from './filter.ts';

export type Got = { delivery: Delivery; settle(s: Settlement): Promise<void> };
export type DlqTransport = Pick<Transport, 'get' | 'publish' | 'queueInfo' | 'purge'>;

export interface DlqCount {
  queue: string;
  /** undefined when the queue does not exist (no host declared it yet) */
  messages?: number;
  consumers?: number;
}

/** Counts for each DLQ; a missing queue is reported, not an error. */
export async function countDeadLetters(transport: Pick<Transport, 'queueInfo'>, queues: string[]): Promise<DlqCount[]> {
  const out: DlqCount[] = [];
  for (const queue of queues) {
    try {
      const info = await transport.queueInfo(queue);
      out.push({ queue, messages: info.messages, consumers: info.consumers });
    } catch (err) {
      if (!isStokcerdasError(err, ErrorCodes.UNKNOWN_QUEUE)) throw err;
      out.push({ queue });
    }
  }
  return out;
}

/** What `dlq show` prints for one dead letter (the failure headers of docs/failure-semantics.md). */
export interface DeadLetterSummary {
  messageId?: string;
  type: string;
  reason?: string;
  attempts?: number;
  handler?: string;
  errorType?: string;
  errorMessage?: string;
  failedAt?: string;
  originalExchange?: string;
  originalRoutingKey?: string;
  originalQueue?: string;
  host?: string;
  tenant?: string;
  correlationId?: string;
  headers: Record<string, HeaderValue>;
  body: string;
}

/**
 * Up to `limit` dead letters, without consuming them: every message is taken unacked and all are
 * requeued at the end (a message requeued at once would simply come back as the next one).
 */
export async function peekDeadLetters(transport: DlqTransport, queue: string, limit: number): Promise<DeadLetterSummary[]> {
  const held: Got[] = [];
  try {
    while (held.length < limit) {
      const got = await transport.get(queue);
      if (!got) break;
      held.push(got);
    }
    return held.map((g) => summarize(g.delivery));
  } finally {
    await requeueAll(held);
  }
}

/**
 * Last taken, first back: RabbitMQ puts a requeued message back at its old position anyway, and a
 * queue that puts it at the head (the memory transport) keeps its order this way too.
 */
export async function requeueAll(held: Got[]): Promise<void> {
  for (const g of [...held].reverse()) await g.settle('requeue').catch(() => undefined);
}

export function summarize(d: Delivery): DeadLetterSummary {
  const h = d.properties.headers ?? {};
  const str = (k: string) => (typeof h[k] === 'string' ? (h[k] as string) : undefined);
  const num = (k: string) => (h[k] === undefined || h[k] === null ? undefined : Number(h[k]));
  const body = d.body.toString('utf8');
  let tenant: string | undefined;
  try {
    const parsed = JSON.parse(body) as { tenantid?: unknown };
    if (typeof parsed.tenantid === 'string') tenant = parsed.tenantid;
  } catch {
    // poison bodies are shown as they are
  }
  return {
    messageId: d.properties.messageId,
    type: eventTypeOf(d),
    reason: str('x-death-reason'),
    attempts: num('x-attempts'),
    handler: str('x-handler'),
    errorType: str('x-error-type'),
    errorMessage: str('x-error-message'),
    failedAt: str('x-failed-at'),
    originalExchange: str('x-original-exchange'),
    originalRoutingKey: str('x-original-routing-key'),
    originalQueue: str('x-original-queue'),
    host: str('x-host'),
    tenant,
    correlationId: d.properties.correlationId,
    headers: h,
    body,
  };
}

// what a failure wrote on the message: a replay starts it afresh (attempts reset, no retry target)
const FAILURE_HEADERS = [/^x-attempts$/, /^x-retry-handlers$/, /^x-death/, /^x-first-death-/, /^x-last-death-/, /^x-error-/, /^x-handler$/, /^x-original-/, /^x-failed-at$/, /^x-host$/, /^x-delivery-count$/];

/** The dead letter as it was first published, to its original exchange and routing key, attempts reset. */
export function replayMessage(d: Delivery, fromQueue: string, now: number): OutgoingMessage | undefined {
  const h = d.properties.headers ?? {};
  const exchange = h['x-original-exchange'];
  const routingKey = h['x-original-routing-key'];
  if (typeof exchange !== 'string' || typeof routingKey !== 'string') return undefined;
  const headers: Record<string, HeaderValue> = {};
  for (const [k, v] of Object.entries(h)) if (!FAILURE_HEADERS.some((re) => re.test(k))) headers[k] = v;
  headers['x-replayed-from'] = fromQueue;
  headers['x-replayed-at'] = new Date(now).toISOString();
  headers['x-replay-count'] = (Number(h['x-replay-count']) || 0) + 1;
  const { expiration: _noTtl, headers: _old, ...properties } = d.properties;
  return { exchange, routingKey, body: d.body, properties: { ...properties, persistent: true, headers } };
}

export interface ReplayResult {
  /** republished (confirmed) and removed from the DLQ */
  replayed: number;
  /** left in the DLQ: not matching the filter */
  skipped: number;
  /** left in the DLQ: no x-original-exchange / x-original-routing-key to send it back to */
  unroutable: number;
}

export interface ReplayOptions {
  filter?: DeadLetterFilter;
  /** replay at most this many (default: every message in the DLQ when the replay starts) */
  limit?: number;
  now?: () => number;
  onReplayed?(d: Delivery): void;
  /** after each message looked at: how many so far, of how many the DLQ held at the start */
  onProgress?(seen: number, atStart: number): void;
}

/**
 * Back to where each message was first published, one at a time: the copy is confirmed by the
 * broker BEFORE the dead letter is acked, so a replay stopped at any point loses nothing and
 * duplicates at most the one message in flight. Messages that are not replayed are held unacked
 * and requeued at the end (else they would come straight back as the next `get`). Only as many
 * messages as the DLQ held at the start are looked at: a replayed message that fails again and
 * comes back is not replayed twice in one run.
 */
export async function replayDeadLetters(transport: DlqTransport, queue: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const now = options.now ?? Date.now;
  const atStart = (await transport.queueInfo(queue)).messages;
  const budget = Math.min(atStart, options.limit ?? Number.POSITIVE_INFINITY);
  const held: Got[] = [];
  const result: ReplayResult = { replayed: 0, skipped: 0, unroutable: 0 };
  try {
    for (let seen = 0; seen < atStart && result.replayed < budget; seen++) {
      const got = await transport.get(queue);
      if (!got) break;
      if (options.filter && !options.filter(got.delivery)) {
        held.push(got);
        result.skipped++;
        options.onProgress?.(seen + 1, atStart);
        continue;
      }
      const message = replayMessage(got.delivery, queue, now());
      if (!message) {
        held.push(got);
        result.unroutable++;
        options.onProgress?.(seen + 1, atStart);
        continue;
      }
      try {
        await transport.publish(message);
      } catch (err) {
        held.push(got);
        throw err;
      }
      await got.settle('ack');
      result.replayed++;
      options.onReplayed?.(got.delivery);
      options.onProgress?.(seen + 1, atStart);
    }
    return result;
  } finally {
    await requeueAll(held);
  }
}

/** Empties a DLQ; resolves to how many messages it held. */
export function purgeDeadLetters(transport: Pick<Transport, 'purge'>, queue: string): Promise<number> {
  return transport.purge(queue);
}
