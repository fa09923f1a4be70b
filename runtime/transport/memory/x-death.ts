import type { HeaderValue, MessageProperties } from '../contract.ts';

export type DeathReason = 'rejected' | 'expired';

type Table = { [k: string]: HeaderValue };

function isTable(value: HeaderValue): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Dying {
  exchange: string;
  routingKey: string;
  properties: MessageProperties;
}

/**
 * The properties a message carries once dead-lettered out of `queue`, as rabbit_dead_letter.erl
 * builds them: an `x-death` entry per (queue, reason), newest first, whose count grows each time
 * the same queue dead-letters it for the same reason; `x-first-death-*` set once; body and other
 * properties kept. `expiration` is removed so the message cannot expire again where it lands.
 */
export function deadLetterProperties(message: Dying, queue: string, reason: DeathReason, now: number): MessageProperties {
  const { expiration, ...kept } = message.properties;
  const headers: Record<string, HeaderValue> = { ...message.properties.headers };
  const death: Table = {
    count: 1,
    reason,
    queue,
    // exactly what amqplib decodes from RabbitMQ (a typed AMQP timestamp, whole seconds), so the
    // runtime reads the same value on both transports and a republished header stays a timestamp
    time: { '!': 'timestamp', value: Math.floor(now / 1000) },
    exchange: message.exchange,
    'routing-keys': [message.routingKey],
  };
  if (expiration !== undefined) death['original-expiration'] = String(expiration);
  const previous = headers['x-death'];
  const others: HeaderValue[] = [];
  if (Array.isArray(previous)) {
    for (const entry of previous) {
      if (isTable(entry) && entry.queue === queue && entry.reason === reason) {
        death.count = (typeof entry.count === 'number' ? entry.count : 0) + 1;
      } else {
        others.push(entry);
      }
    }
  }
  headers['x-death'] = [death, ...others];
  if (headers['x-first-death-reason'] === undefined) {
    headers['x-first-death-reason'] = reason;
    headers['x-first-death-queue'] = queue;
    headers['x-first-death-exchange'] = message.exchange;
  }
  return { ...kept, headers };
}

/**
 * rabbit_dead_letter:is_cycle. A message that expired its way back to a queue it already died in
 * is dropped, unless a consumer rejected it somewhere on the loop (then the loop is deliberate).
 * `headers` are the ones just built, so the current death is first.
 */
export function isDeadLetterCycle(target: string, reason: DeathReason, headers: MessageProperties['headers']): boolean {
  if (reason === 'rejected') return false;
  const deaths = headers?.['x-death'];
  if (!Array.isArray(deaths)) return false;
  for (const death of deaths) {
    if (!isTable(death) || death.reason === 'rejected') return false;
    if (death.queue === target) return true;
  }
  return false;
}
