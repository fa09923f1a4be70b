import { ErrorCodes, StokcerdasError } from '../../errors.ts';

/** AMQP reply codes that close the channel they happen on. */
export const ACCESS_REFUSED = 403;
export const NOT_FOUND = 404;
export const PRECONDITION_FAILED = 406;

export function replyCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** RabbitMQ's own text, e.g. `PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue …`. */
export function brokerMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const quoted = /with message "(.*)"$/s.exec(message);
  return quoted ? quoted[1] : message;
}

interface Inequivalent {
  argument: string;
  kind: 'queue' | 'exchange';
  name: string;
  received?: string;
  current?: string;
}

/** Parses "inequivalent arg 'ARG' for queue|exchange 'NAME' in vhost '/': received … but current is …". */
export function parseInequivalentArg(text: string): Inequivalent | undefined {
  const m = /inequivalent arg '([^']+)' for (queue|exchange) '([^']*)' in vhost '[^']*': received (?:the value )?('?[^']*'?)(?: of type '[^']*')? but current is (.*)$/.exec(text);
  if (!m) return undefined;
  const unquote = (s: string) => s.replace(/^'|'$/g, '');
  const current = m[5].replace(/^the value /, '').replace(/ of type '[^']*'$/, '');
  return { argument: m[1], kind: m[2] as 'queue' | 'exchange', name: m[3], received: unquote(m[4]), current: unquote(current) };
}

export function topologyConflict(err: unknown, kind: 'queue' | 'exchange', name: string): StokcerdasError {
  const text = brokerMessage(err);
  const parsed = parseInequivalentArg(text);
  const argument = parsed?.argument ?? 'unknown';
  const what = parsed
    ? `${kind} "${name}" already exists on the broker with ${argument} = ${parsed.current ?? '?'}, but the config declares ${argument} = ${parsed.received ?? '?'}`
    : `${kind} "${name}" already exists on the broker with different arguments`;
  return new StokcerdasError(
    ErrorCodes.TOPOLOGY_CONFLICT,
    `${what} (broker: ${text}). Fix: delete the ${kind} (\`rabbitmqctl delete_${kind === 'queue' ? 'queue' : 'exchange'} ${name}\`; ` +
      `messages in it are lost) or change the config to match it (e.g. broker.queueType).`,
    { kind, name, argument, received: parsed?.received, current: parsed?.current, broker: text },
    { cause: err },
  );
}

/** 403 on a declare or bind: the default exchange and `amq.*` names are reserved by RabbitMQ. */
export function reservedName(err: unknown, kind: 'queue' | 'exchange' | 'binding', name: string): StokcerdasError {
  const text = brokerMessage(err);
  return new StokcerdasError(
    ErrorCodes.TOPOLOGY_CONFLICT,
    `${kind} "${name}" cannot be declared or bound as configured (broker: ${text}). Fix: the default exchange "" ` +
      `routes by queue name and cannot be declared or bound, and names starting with "amq." are reserved: rename it.`,
    { kind, name, broker: text },
    { cause: err },
  );
}

export function unknownExchange(exchange: string, err?: unknown): StokcerdasError {
  return new StokcerdasError(
    ErrorCodes.UNKNOWN_EXCHANGE,
    `exchange "${exchange}" does not exist on the broker: declare it in the topology (assertTopology) before publishing to it`,
    { exchange },
    err === undefined ? undefined : { cause: err },
  );
}

export function unknownQueue(queue: string, err?: unknown): StokcerdasError {
  return new StokcerdasError(
    ErrorCodes.UNKNOWN_QUEUE,
    `queue "${queue}" does not exist on the broker: declare it in the topology (assertTopology) first`,
    { queue },
    err === undefined ? undefined : { cause: err },
  );
}

export function transportClosed(what: string): StokcerdasError {
  return new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `amqp transport is closed: cannot ${what}`);
}

/** Which exchange / queue a 404 names, if any ("NOT_FOUND - no exchange 'x' in vhost '/'"). */
export function notFoundTarget(err: unknown): { kind: 'exchange' | 'queue'; name: string } | undefined {
  const m = /no (exchange|queue) '([^']*)' in vhost/.exec(brokerMessage(err));
  return m ? { kind: m[1] as 'exchange' | 'queue', name: m[2] } : undefined;
}
