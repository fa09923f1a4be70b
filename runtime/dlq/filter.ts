import { ErrorCodes, StokcerdasError } from '../errors.ts';
import { compileTopic } from '../transport/match.ts';
import type { Delivery } from '../transport/contract.ts';

const REASONS = new Set(['retries-exhausted', 'poison', 'non-retryable', 'handler-timeout']);

export type DeadLetterFilter = (delivery: Delivery) => boolean;

/**
 * `--filter` for replay: `reason=poison`, `type=orders.#` (a topic pattern), or a bare value —
 * one of the four death reasons, else an event-type pattern.
 */
export function parseDeadLetterFilter(text: string | undefined): DeadLetterFilter | undefined {
  if (text === undefined || text === '') return undefined;
  const eq = text.indexOf('=');
  const [field, value] = eq > 0 ? [text.slice(0, eq), text.slice(eq + 1)] : [REASONS.has(text) ? 'reason' : 'type', text];
  if (field === 'reason') {
    if (!REASONS.has(value)) throw new StokcerdasError(ErrorCodes.DLQ_FILTER_INVALID, `--filter reason=${value}: not a death reason (${[...REASONS].join(', ')})`, { filter: text });
    return (d) => d.properties.headers?.['x-death-reason'] === value;
  }
  if (field === 'type') {
    const matches = compileTopic(value);
    return (d) => matches(eventTypeOf(d));
  }
  throw new StokcerdasError(ErrorCodes.DLQ_FILTER_INVALID, `--filter ${text}: use reason=<${[...REASONS].join('|')}> or type=<pattern>`, { filter: text });
}

/** The event type of a dead letter: the `type` property, else the routing key it was first published with. */
export function eventTypeOf(d: Delivery): string {
  const original = d.properties.headers?.['x-original-routing-key'];
  return d.properties.type ?? (typeof original === 'string' ? original : d.routingKey);
}
