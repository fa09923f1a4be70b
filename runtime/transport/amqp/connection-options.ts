import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from 'pino';

/** A PEM string, or a path to a PEM file. */
export type PemSource = string | Buffer;

export interface AmqpTlsOptions {
  ca?: PemSource | PemSource[];
  cert?: PemSource;
  key?: PemSource;
  passphrase?: string;
  /** default true: turning it off accepts any certificate (never in production) */
  rejectUnauthorized?: boolean;
  /** SNI / certificate host name, when it differs from the URL's host */
  servername?: string;
}

export interface AmqpTransportOptions {
  /** amqp:// or amqps:// (vhost in the path, credentials in the user info) */
  url: string;
  /**
   * Nodes of one cluster, tried in turn: on connection loss the transport moves to the next one.
   * When set, `url` is only the first of them for messages.
   */
  urls?: string[];
  /** shown by `rabbitmqctl list_connections client_properties` and the management UI */
  connectionName?: string;
  /** default 30 */
  heartbeatSec?: number;
  tls?: AmqpTlsOptions;
  /** capped exponential backoff between connection attempts, jittered between half and all of the delay */
  reconnect: { initialDelayMs: number; maxDelayMs: number };
  /** publishes held while disconnected; beyond this `publish` rejects with PUBLISH_BUFFER_FULL */
  publishBufferSize: number;
  logger?: Logger;
  /** how long `connect()` waits for the first connection (default 30 000 ms); retries continue after */
  connectTimeoutMs?: number;
  /** how long `close()` waits for outstanding confirms (default 10 000 ms) */
  closeTimeoutMs?: number;
  /** ack coalescing: send `basic.ack multiple` at least every this many acks (default 50, capped by prefetch/2) */
  ackBatchSize?: number;
  /** ... or after this many ms, whichever comes first (default 10) */
  ackFlushMs?: number;
}

export function defaultConnectionName(): string {
  return `stokcerdas@${hostname()}/${process.pid}`;
}

/** The URL without its password, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** `host:port` of a node URL (what /readyz, /stats and the metrics call the node: no credentials). */
export function nodeOf(url: unknown): string {
  const raw = typeof url === 'string' ? url : typeof url === 'object' && url !== null && 'url' in url ? String(url.url) : '';
  try {
    const u = new URL(raw);
    return `${u.hostname}:${u.port || (u.protocol === 'amqps:' ? '5671' : '5672')}`;
  } catch {
    return redactUrl(raw);
  }
}

function readPem(source: PemSource): Buffer | string {
  if (Buffer.isBuffer(source)) return source;
  if (source.includes('-----BEGIN')) return source;
  return readFileSync(source);
}

/**
 * Socket options handed to amqplib's connect (through amqp-connection-manager). amqplib passes
 * them to `tls.connect` for amqps://, and `clientProperties` to connection.start-ok, which is where
 * RabbitMQ takes the connection name it shows.
 */
export function socketOptions(options: AmqpTransportOptions): Record<string, unknown> {
  const sock: Record<string, unknown> = {
    clientProperties: { connection_name: options.connectionName ?? defaultConnectionName() },
    // a dead host must not hang the attempt for the kernel's SYN timeout
    timeout: 10_000,
    // no Nagle: a lone ack or publish must not wait for the broker's delayed TCP ACK (measured
    // throughput-neutral here: the broker, not the socket, is the bottleneck)
    noDelay: true,
  };
  const tls = options.tls;
  if (tls) {
    if (tls.ca !== undefined) sock.ca = (Array.isArray(tls.ca) ? tls.ca : [tls.ca]).map(readPem);
    if (tls.cert !== undefined) sock.cert = readPem(tls.cert);
    if (tls.key !== undefined) sock.key = readPem(tls.key);
    if (tls.passphrase !== undefined) sock.passphrase = tls.passphrase;
    if (tls.rejectUnauthorized !== undefined) sock.rejectUnauthorized = tls.rejectUnauthorized;
    if (tls.servername !== undefined) sock.servername = tls.servername;
  }
  return sock;
}

/** Delay before reconnect attempt `attempt` (0-based): a capped exponential with equal jitter. */
export function backoffDelayMs(
  attempt: number,
  reconnect: { initialDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(reconnect.maxDelayMs, reconnect.initialDelayMs * 2 ** Math.min(attempt, 30));
  // "equal jitter": never below half the ceiling, so hosts spread out without retrying in a hot loop
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
