import { ErrorCodes, StokcerdasError } from '../../errors.ts';
import type { ExchangeSpec, QueueSpec } from '../contract.ts';

/** Contract field → the queue argument RabbitMQ compares on redeclare (and names in its error). */
const QUEUE_ARGUMENTS = [
  ['type', 'x-queue-type'],
  ['messageTtl', 'x-message-ttl'],
  ['deadLetterExchange', 'x-dead-letter-exchange'],
  ['deadLetterRoutingKey', 'x-dead-letter-routing-key'],
  ['maxPriority', 'x-max-priority'],
] as const;

function show(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}

function invalid(queue: string, message: string, details: Record<string, unknown> = {}): StokcerdasError {
  // RabbitMQ answers an invalid queue argument with PRECONDITION_FAILED too.
  return new StokcerdasError(ErrorCodes.TOPOLOGY_CONFLICT, `queue "${queue}": ${message}`, { queue, ...details });
}

function isWhole(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Validates a queue declaration and fills the default type, so redeclares compare like for like. */
export function normalizeQueueSpec(spec: QueueSpec): QueueSpec {
  const { name } = spec;
  if (typeof name !== 'string' || name === '') {
    throw invalid(String(name), 'a queue needs a name (server-named queues are not supported)');
  }
  const out: QueueSpec = { name, type: spec.type ?? 'classic' };
  if (spec.messageTtl !== undefined) {
    if (!isWhole(spec.messageTtl, 0, 2 ** 32 - 1)) throw invalid(name, `messageTtl must be a whole number of ms ≥ 0, got ${spec.messageTtl}`, { argument: 'messageTtl' });
    out.messageTtl = spec.messageTtl;
  }
  if (spec.maxPriority !== undefined) {
    if (!isWhole(spec.maxPriority, 0, 255)) throw invalid(name, `maxPriority must be a whole number from 0 to 255, got ${spec.maxPriority}`, { argument: 'maxPriority' });
    out.maxPriority = spec.maxPriority;
  }
  if (spec.deadLetterExchange !== undefined) out.deadLetterExchange = spec.deadLetterExchange;
  if (spec.deadLetterRoutingKey !== undefined) {
    if (spec.deadLetterExchange === undefined) {
      throw invalid(name, 'deadLetterRoutingKey needs deadLetterExchange (use "" for the default exchange)', { argument: 'deadLetterRoutingKey' });
    }
    out.deadLetterRoutingKey = spec.deadLetterRoutingKey;
  }
  return out;
}

/** RabbitMQ's PRECONDITION_FAILED "inequivalent arg" on a redeclare, as a coded error. */
export function assertSameQueue(current: QueueSpec, received: QueueSpec): void {
  for (const [field, argument] of QUEUE_ARGUMENTS) {
    if (current[field] === received[field]) continue;
    throw new StokcerdasError(
      ErrorCodes.TOPOLOGY_CONFLICT,
      `queue "${current.name}" already exists with ${field} (${argument}) = ${show(current[field])}, ` +
        `declared again with ${show(received[field])}: declare it with the same arguments, or delete the queue so it is re-created`,
      { queue: current.name, argument: field, amqpArgument: argument, current: current[field], received: received[field] },
    );
  }
}

export function assertSameExchange(current: ExchangeSpec, received: ExchangeSpec): void {
  if (current.type === received.type) return;
  throw new StokcerdasError(
    ErrorCodes.TOPOLOGY_CONFLICT,
    `exchange "${current.name}" already exists as ${current.type}, declared again as ${received.type}: ` +
      'declare it with the same type, or delete the exchange so it is re-created',
    { exchange: current.name, argument: 'type', current: current.type, received: received.type },
  );
}
