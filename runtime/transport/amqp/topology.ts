import type { Channel, ChannelModel } from 'amqplib';
import type { RouteSpec, ExchangeSpec, QueueSpec, TopologySpec } from '../contract.ts';
import { ACCESS_REFUSED, NOT_FOUND, PRECONDITION_FAILED, notFoundTarget, replyCode, reservedName, topologyConflict, unknownExchange, unknownQueue } from './broker-errors.ts';
import { queueArguments } from './properties.ts';

/**
 * Every topology entity the transport has declared successfully, re-declared after each reconnect
 * (a broker restart loses nothing durable, but a fresh broker or a deleted queue would otherwise
 * leave consumers failing with 404). Later declarations of the same name replace earlier ones.
 */
export class TopologyRegistry {
  private readonly exchanges = new Map<string, ExchangeSpec>();
  private readonly queues = new Map<string, QueueSpec>();
  private readonly routes = new Map<string, RouteSpec>();

  rememberExchange(e: ExchangeSpec): void {
    this.exchanges.set(e.name, e);
  }
  rememberQueue(q: QueueSpec): void {
    this.queues.set(q.name, q);
  }
  rememberRoute(b: RouteSpec): void {
    this.routes.set(`${b.exchange}\u0000${b.queue}\u0000${b.routingKey}`, b);
  }
  hasExchange(name: string): boolean {
    return name === '' || this.exchanges.has(name);
  }
  forgetExchange(name: string): void {
    this.exchanges.delete(name);
  }
  get isEmpty(): boolean {
    return this.exchanges.size + this.queues.size + this.routes.size === 0;
  }
  snapshot(): TopologySpec {
    return { exchanges: [...this.exchanges.values()], queues: [...this.queues.values()], routes: [...this.routes.values()] };
  }
}

/**
 * Declares `spec` on a throwaway channel: a failed declare (406 PRECONDITION_FAILED, 404) closes
 * the channel it ran on, and no long-lived channel (publisher confirms, consumers) may die for it.
 * Entities are remembered as they succeed, so a conflict on one queue does not drop the rest.
 */
export async function declareTopology(connection: ChannelModel, spec: TopologySpec, registry: TopologyRegistry): Promise<void> {
  const channel = await openThrowaway(connection);
  try {
    for (const e of spec.exchanges) {
      try {
        await channel.assertExchange(e.name, e.type, { durable: true });
      } catch (err) {
        if (replyCode(err) === ACCESS_REFUSED) throw reservedName(err, 'exchange', e.name);
        throw replyCode(err) === PRECONDITION_FAILED ? topologyConflict(err, 'exchange', e.name) : err;
      }
      registry.rememberExchange(e);
    }
    for (const q of spec.queues) {
      try {
        await channel.assertQueue(q.name, { durable: true, arguments: queueArguments(q) });
      } catch (err) {
        if (replyCode(err) === ACCESS_REFUSED) throw reservedName(err, 'queue', q.name);
        throw replyCode(err) === PRECONDITION_FAILED ? topologyConflict(err, 'queue', q.name) : err;
      }
      registry.rememberQueue(q);
    }
    for (const b of spec.routes) {
      try {
        await channel.bindQueue(b.queue, b.exchange, b.routingKey);
      } catch (err) {
        if (replyCode(err) === ACCESS_REFUSED) throw reservedName(err, 'binding', `${b.exchange} -> ${b.queue} (${b.routingKey})`);
        if (replyCode(err) !== NOT_FOUND) throw err;
        const target = notFoundTarget(err);
        throw target?.kind === 'queue' ? unknownQueue(b.queue, err) : unknownExchange(b.exchange, err);
      }
      registry.rememberRoute(b);
    }
  } finally {
    closeQuietly(channel);
  }
}

export async function openThrowaway(connection: ChannelModel): Promise<Channel> {
  const channel = await connection.createChannel();
  // the failure is reported by the rejected operation; the 'error' event must not crash the process
  channel.on('error', () => {});
  return channel;
}

export function closeQuietly(channel: { close(): Promise<void> } | undefined): void {
  if (!channel) return;
  try {
    channel.close().catch(() => {});
  } catch {
    // already closed (IllegalOperationError is thrown synchronously by amqplib)
  }
}
