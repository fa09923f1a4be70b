import type { HeaderValue, MessageProperties, OutgoingMessage } from '../transport/contract.ts';
import type { DeliveryContext, HandlerBinding } from './types.ts';

export type DeathReason = 'retries-exhausted' | 'poison' | 'non-retryable' | 'handler-timeout';

const MAX_STACK_BYTES = 8 * 1024;

/** Where the message was first published: retries travel through the default exchange, so read the headers first. */
export function originOf(ctx: DeliveryContext): { exchange: string; routingKey: string } {
  const headers = ctx.delivery.properties.headers ?? {};
  return {
    exchange: typeof headers['x-original-exchange'] === 'string' ? headers['x-original-exchange'] : ctx.delivery.exchange,
    routingKey: ctx.routingKey,
  };
}

/**
 * A copy of the delivery for a wait queue or a DLQ. The per-message TTL is dropped (RabbitMQ does
 * the same when it dead-letters) so a message waiting in a DLQ never silently expires.
 */
export function copyOf(ctx: DeliveryContext, exchange: string, routingKey: string, headers: Record<string, HeaderValue>): OutgoingMessage {
  const { expiration: _dropped, headers: oldHeaders, ...rest } = ctx.delivery.properties;
  const properties: MessageProperties = { ...rest, persistent: true, headers: { ...oldHeaders, ...headers } };
  return { exchange, routingKey, body: ctx.delivery.body, properties };
}

export function deadLetterHeaders(
  ctx: DeliveryContext,
  reason: DeathReason,
  error: unknown,
  binding: HandlerBinding | undefined,
  host: string,
  now: number,
): Record<string, HeaderValue> {
  const origin = originOf(ctx);
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    'x-death-reason': reason,
    'x-attempts': ctx.attempt,
    'x-error-type': err.name,
    'x-error-message': err.message.slice(0, 4096),
    'x-error-stack': truncateUtf8(err.stack ?? '', MAX_STACK_BYTES),
    'x-handler': binding?.key ?? '-',
    'x-original-exchange': origin.exchange,
    'x-original-routing-key': origin.routingKey,
    'x-original-queue': ctx.queue,
    'x-failed-at': new Date(now).toISOString(),
    'x-host': host,
  };
}

function truncateUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  // cutting inside a multi-byte character leaves a replacement char: drop it
  return buf.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}
