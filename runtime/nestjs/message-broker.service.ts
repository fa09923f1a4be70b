import type { Logger } from 'pino';
import type { StokcerdasClient } from '../client/client.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import type { PublishOptions } from '../events/types.ts';
import type { SubscriptionStats as BindingStats } from '../observability/stats.ts';
import type { DistributedConsumers } from './distributed.ts';

/** The seed's `publishMessage` first argument. */
export interface MessagePublishOptions {
  /** the seed's full name (`stokcerdas.inventory.events`) or the name without the prefix */
  exchange: string;
  routingKey: string;
  /** the seed's message type (`stock_update`): travels as the CloudEvents extension `messagetype` */
  messageType?: string;
  priority?: number;
  /** false: delivery mode 1 (not written to disk); default true */
  persistent?: boolean;
  /** message TTL in ms */
  ttl?: number;
  correlationId?: string;
  tenantId?: string;
  userId?: string;
}

/** The seed's Indonesian context argument: the runtime computes these itself (see publishMessage). */
export interface IndonesianContextInput {
  timezone?: string;
  businessHours?: boolean;
  ramadanSeason?: boolean;
  regionalContext?: string;
  [key: string]: unknown;
}

export interface ConnectionStatus {
  isConnected: boolean;
  reconnectAttempts: number;
  /** publishes held while the broker is unreachable (bounded by `broker.publishBufferSize`) */
  bufferedPublishes: number;
  transport: 'memory' | 'amqp';
  /** the distributed subscriptions' consumers are connected too */
  consumersConnected: boolean;
}

/** One consumer's counters, as the host's `/stats` gives them (without the host-only fields). */
export type HandlerStatsEntry = Pick<BindingStats, 'handler' | 'queue' | 'routingKeys' | 'consumed' | 'succeeded' | 'failed' | 'retried' | 'deadLettered' | 'deduplicated' | 'lastEventAt'>;

export interface MessageHandlerStats {
  totalHandlers: number;
  handlersByQueue: Record<string, number>;
  handlers: HandlerStatsEntry[];
  /** messages this process published, by type */
  published: Record<string, number>;
  publishFailures: number;
}

const SEED_PREFIX = 'stokcerdas.';

/**
 * The seed's `MessageBrokerService`: direct publishing to a named exchange and routing key, on
 * the client (the payload validated when the routing key names a known type, sent as a CloudEvent).
 */
export class MessageBrokerService {
  constructor(
    private readonly client: StokcerdasClient,
    private readonly consumers: DistributedConsumers,
    private readonly logger: Logger,
  ) {}

  /**
   * Resolves `true` once the broker confirmed the message. The event's type is the routing key.
   * `indonesianContext` is not copied onto the message: the runtime computes the same fields from
   * its calendar for the event's own time and place, so a value written by hand cannot go stale
   * (a disagreement is logged at debug level).
   */
  async publishMessage(options: MessagePublishOptions, payload: unknown, extra: { indonesianContext?: IndonesianContextInput } = {}): Promise<boolean> {
    if (!options || typeof options.exchange !== 'string' || typeof options.routingKey !== 'string' || options.routingKey === '') {
      throw new StokcerdasError(ErrorCodes.EVENT_INVALID, 'publishMessage: options need an exchange and a routing key', {});
    }
    const publish: PublishOptions = {
      exchange: this.exchangeName(options.exchange),
      priority: options.priority,
      ttl: options.ttl,
      persistent: options.persistent,
      correlationId: options.correlationId,
      tenantId: options.tenantId,
      userId: options.userId,
    };
    if (options.messageType !== undefined) publish.extensions = { messagetype: options.messageType };
    const event = await this.client.publish(options.routingKey, payload, publish);
    const given = extra.indonesianContext;
    if (given && (given.businessHours !== undefined && given.businessHours !== event.context.businessHours || given.ramadanSeason !== undefined && given.ramadanSeason !== event.context.ramadanSeason)) {
      this.logger.debug({ given, computed: event.context, eventId: event.id }, 'publishMessage: indonesianContext differs from the calendar; the calendar\'s travels');
    }
    return true;
  }

  getConnectionStatus(): ConnectionStatus {
    const status = this.client.transport.status();
    return {
      isConnected: status.connected,
      reconnectAttempts: status.reconnects,
      bufferedPublishes: status.bufferedPublishes,
      transport: this.client.transport.kind,
      consumersConnected: this.consumers.connected(),
    };
  }

  getMessageHandlerStats(): MessageHandlerStats {
    const handlers: HandlerStatsEntry[] = this.consumers.stats().flatMap((s) =>
      s.subscriptions.map((x) => ({
        handler: x.handler,
        queue: x.queue,
        routingKeys: x.routingKeys,
        consumed: x.consumed,
        succeeded: x.succeeded,
        failed: x.failed,
        retried: x.retried,
        deadLettered: x.deadLettered,
        deduplicated: x.deduplicated,
        ...(x.lastEventAt ? { lastEventAt: x.lastEventAt } : {}),
      })),
    );
    const handlersByQueue: Record<string, number> = {};
    for (const h of handlers) handlersByQueue[h.queue] = (handlersByQueue[h.queue] ?? 0) + 1;
    const stats = this.client.stats();
    return { totalHandlers: handlers.length, handlersByQueue, handlers, published: stats.published, publishFailures: stats.failed };
  }

  /**
   * The seed wrote full names (`stokcerdas.inventory.events`); the runtime prefixes names itself,
   * so both the configured prefix and the seed's `stokcerdas.` are taken off first. A deployment
   * with another prefix (a staging vhost, a test) runs the seed's code unchanged.
   */
  private exchangeName(name: string): string {
    const prefix = `${this.client.config.broker.prefix}.`;
    if (name.startsWith(prefix)) return name.slice(prefix.length);
    if (name.startsWith(SEED_PREFIX)) return name.slice(SEED_PREFIX.length);
    return name;
  }
}
