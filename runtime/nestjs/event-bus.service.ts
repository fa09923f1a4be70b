import type { Logger } from 'pino';
import type { StokcerdasClient } from '../client/client.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import type { PublishOptions, StokEvent } from '../events/types.ts';
import { compileTopic } from '../transport/match.ts';
import type { DistributedConsumers } from './distributed.ts';
import { EventBatcher, type EventBatchStats } from './batcher.ts';
import { fromStokEvent, type BaseEvent, type EventHandler } from './events/base.ts';
import { seedEventClasses } from './events/index.ts';

/** The seed's publish options. */
export interface EventPublishOptions {
  /** 0–9; default `broker.defaultPriority` (EVENT_BUS_DEFAULT_PRIORITY) */
  priority?: number;
  /** message TTL in ms; default `broker.defaultTtlMs` (EVENT_BUS_DEFAULT_TTL) */
  ttl?: number;
  /** hand it to this process's local subscribers (default true) */
  local?: boolean;
  /** send it to RabbitMQ (default true); false = local subscribers only */
  distributed?: boolean;
  /** collect it into a batch sent at `batch.size` events or after `batch.flushMs` (EVENT_BUS_BATCH_SIZE / _FLUSH_INTERVAL) */
  batch?: boolean;
}

/** The seed's subscribe options. */
export interface SubscriptionOptions {
  /** called in this process for events this process publishes (EventEmitter2's side); default true */
  local?: boolean;
  /** consumed from a queue of this service's own, with broker-held retries, dead letters and dedupe; default false */
  distributed?: boolean;
  /** higher runs first among the handlers of one event (default 5) */
  priority?: number;
  /** the distributed queue's name without the prefix (default `<service>.<Handler>.<type>`) */
  queue?: string;
}

export interface SubscriptionStats {
  totalSubscriptions: number;
  subscriptionsByType: Record<string, number>;
  localSubscriptions: number;
  distributedSubscriptions: number;
  /** local handler calls that threw (logged; the local path does not retry) */
  localFailures: number;
  localHandled: number;
}

interface Subscription {
  id: string;
  pattern: string;
  matches: (type: string) => boolean;
  handler: EventHandler<BaseEvent<object>>;
  local: boolean;
  distributed: boolean;
  priority: number;
}

const DOMAIN_EXCHANGE = {
  inventory: 'inventory.events',
  orders: 'orders.events',
  customers: 'customers.events',
  analytics: 'analytics.events',
} as const;

/**
 * The seed's `EventBusService` on the runtime: publishing goes through the client (validated
 * CloudEvents, confirmed), `subscribe` runs handlers locally and/or from a queue of their own.
 */
export class EventBusService {
  private readonly subscriptions: Subscription[] = [];
  private readonly batcher: EventBatcher;
  private nextId = 1;
  private localFailures = 0;
  private localHandled = 0;
  private unsubscribeLocal?: () => void;
  /** ids of events published with `local: false`, until their confirm */
  private readonly skipLocal = new Set<string>();

  constructor(
    private readonly client: StokcerdasClient,
    private readonly consumers: DistributedConsumers,
    private readonly logger: Logger,
  ) {
    this.batcher = new EventBatcher(client, client.config.batch, logger);
  }

  /** The event's domain parts become the CloudEvent's data; its ids, time and context its attributes. */
  async publish(eventType: string, event: BaseEvent<object>, options: EventPublishOptions = {}): Promise<void> {
    return this.send(eventType, event, options, undefined);
  }

  publishInventoryEvent(eventType: string, event: BaseEvent<object>, options: EventPublishOptions = {}): Promise<void> {
    return this.send(eventType, event, options, DOMAIN_EXCHANGE.inventory);
  }

  publishOrderEvent(eventType: string, event: BaseEvent<object>, options: EventPublishOptions = {}): Promise<void> {
    return this.send(eventType, event, options, DOMAIN_EXCHANGE.orders);
  }

  publishCustomerEvent(eventType: string, event: BaseEvent<object>, options: EventPublishOptions = {}): Promise<void> {
    return this.send(eventType, event, options, DOMAIN_EXCHANGE.customers);
  }

  publishAnalyticsEvent(eventType: string, event: BaseEvent<object>, options: EventPublishOptions = {}): Promise<void> {
    return this.send(eventType, event, options, DOMAIN_EXCHANGE.analytics);
  }

  private async send(eventType: string, event: BaseEvent<object>, options: EventPublishOptions, exchange: string | undefined): Promise<void> {
    if (event === null || typeof event !== 'object' || typeof (event as { toPayload?: unknown }).toPayload !== 'function') {
      throw new StokcerdasError(ErrorCodes.EVENT_INVALID, `cannot publish ${eventType}: pass an event object (a BaseEvent subclass such as StockLevelChangedEvent)`, { type: eventType });
    }
    const publishOptions: PublishOptions = {
      id: event.eventId,
      time: event.timestamp,
      tenantId: event.tenantId || undefined,
      userId: event.userId,
      correlationId: event.correlationId,
      causationId: event.causationId,
      priority: options.priority,
      ttl: options.ttl,
    };
    // the domain exchange the seed's method names; without one the type's own domain decides
    if (exchange !== undefined) publishOptions.exchange = exchange;
    const data = event.toPayload();
    if (options.distributed === false) {
      if (options.local === false) {
        throw new StokcerdasError(ErrorCodes.EVENT_INVALID, `cannot publish ${eventType}: local: false and distributed: false send it nowhere`, { type: eventType });
      }
      this.client.emitLocal(eventType, data, publishOptions);
      return;
    }
    // the client's local listeners see what it published; `local: false` hides this one event from ours
    if (options.local === false) this.skipLocal.add(event.eventId);
    try {
      if (options.batch) await this.batcher.add(eventType, data, publishOptions);
      else await this.client.publish(eventType, data, publishOptions);
    } finally {
      this.skipLocal.delete(event.eventId);
    }
  }

  /**
   * `handler.handle(event)` for every event of `eventType` (a type or topic pattern): locally for
   * what this process publishes, and/or from a queue of this service's own. Returns an id for
   * `unsubscribe`. Distributed subscriptions made in `onModuleInit` start consuming at application
   * bootstrap; later ones start at once.
   */
  subscribe<T extends BaseEvent<object>>(eventType: string, handler: EventHandler<T>, options: SubscriptionOptions = {}): string {
    if (!handler || typeof handler.handle !== 'function') {
      throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, `cannot subscribe to ${eventType}: the handler needs a handle(event) method`, { type: eventType });
    }
    const sub: Subscription = {
      id: `sub-${this.nextId++}`,
      pattern: eventType,
      matches: compileTopic(eventType),
      handler: handler as unknown as EventHandler<BaseEvent<object>>,
      // EVENT_BUS_LOCAL_ENABLED=false (local.enabled) switches the local side off, as it did in the seed
      local: (options.local ?? true) && this.client.config.local.enabled,
      distributed: options.distributed ?? false,
      priority: options.priority ?? 5,
    };
    if (sub.distributed) {
      this.consumers.add({
        id: sub.id,
        pattern: eventType,
        baseName: handlerNameOf(handler, this.nextId),
        queue: options.queue,
        priority: sub.priority,
        // a throw is the pipeline's to retry and dead-letter
        handle: async (event) => {
          await sub.handler.handle(fromStokEvent(event, seedEventClasses));
        },
      });
    }
    this.subscriptions.push(sub);
    this.subscriptions.sort((a, b) => b.priority - a.priority);
    if (sub.local) this.unsubscribeLocal ??= this.client.subscribe('#', (event) => this.dispatchLocal(event));
    return sub.id;
  }

  /** Removes a local subscription; a distributed one keeps its queue until shutdown (false is returned). */
  unsubscribe(id: string): boolean {
    const i = this.subscriptions.findIndex((s) => s.id === id && !s.distributed);
    if (i < 0) return false;
    this.subscriptions.splice(i, 1);
    return true;
  }

  getSubscriptionStats(): SubscriptionStats {
    const byType: Record<string, number> = {};
    for (const s of this.subscriptions) byType[s.pattern] = (byType[s.pattern] ?? 0) + 1;
    return {
      totalSubscriptions: this.subscriptions.length,
      subscriptionsByType: byType,
      localSubscriptions: this.subscriptions.filter((s) => s.local).length,
      distributedSubscriptions: this.subscriptions.filter((s) => s.distributed).length,
      localFailures: this.localFailures,
      localHandled: this.localHandled,
    };
  }

  getEventBatchStats(): EventBatchStats {
    return this.batcher.stats();
  }

  /** Sends what is batched (NestJS calls it on shutdown, before the connection closes). */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribeLocal?.();
    this.unsubscribeLocal = undefined;
    await this.batcher.close();
  }

  /** In priority order, one after the other, after the broker confirmed; errors are logged, not retried. */
  private dispatchLocal(event: StokEvent): Promise<void> | undefined {
    if (this.skipLocal.has(event.id)) return undefined;
    const targets = this.subscriptions.filter((s) => s.local && s.matches(event.type));
    if (targets.length === 0) return undefined;
    const seed = fromStokEvent(event, seedEventClasses);
    return (async () => {
      for (const s of targets) {
        try {
          await s.handler.handle(seed);
          this.localHandled++;
        } catch (err) {
          this.localFailures++;
          this.logger.error({ err, eventId: event.id, type: event.type, subscription: s.id }, 'local event handler failed');
        }
      }
    })();
  }
}

/** `StockLevelChangedHandler` → a handler name the runtime accepts; anonymous handlers get `handler<n>`. */
function handlerNameOf(handler: object, n: number): string {
  const name = handler.constructor?.name;
  const clean = name && name !== 'Object' ? name.replace(/[^A-Za-z0-9_-]/g, '') : '';
  return /^[A-Za-z]/.test(clean) ? clean : `handler${n}`;
}
