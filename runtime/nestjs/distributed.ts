import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/schema.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import type { StokEvent } from '../events/types.ts';
import type { EventSchemaInput } from '../events/versions.ts';
import type { Host } from '../host/host.ts';
import type { HostStats } from '../observability/stats.ts';
import type { HandlerDefinition, PluginDefinition } from '../plugins/types.ts';
import type { Transport } from '../transport/contract.ts';
import { exchangeForType } from '../topology/domains.ts';
import { TOPIC_PATTERN } from '../plugins/validate.ts';

/** One `subscribe(type, handler, { distributed: true })`. */
export interface DistributedSubscription {
  id: string;
  pattern: string;
  /** unprefixed queue name, stable across restarts so events wait for the service while it is down */
  queue: string;
  handlerName: string;
  priority: number;
  handle(event: StokEvent): Promise<void>;
}

export interface DistributedConsumersInput {
  config: ResolvedConfig;
  service: string;
  logger: Logger;
  events?: Record<string, EventSchemaInput>;
  /**
   * The client's transport when it is the memory one: consumers must read the same in-process
   * broker the client publishes to (a second memory transport would be a second, empty broker).
   */
  sharedTransport?: Transport;
}

/**
 * Distributed subscriptions consume through the runtime's own delivery path: a host without HTTP
 * or discovered plugins, given one programmatic plugin whose handlers are the subscriptions. So
 * validation, context, dedupe, broker-held retries and dead-lettering are the host's, not a copy.
 * Subscriptions made before start share one host; each later batch of them starts one more.
 */
export class DistributedConsumers {
  private readonly pending: DistributedSubscription[] = [];
  private readonly hosts: Host[] = [];
  private readonly subscriptions = new Map<string, DistributedSubscription>();
  private started = false;
  private stopped = false;
  private scheduled?: Promise<void>;
  private group = 0;

  constructor(private readonly input: DistributedConsumersInput) {}

  /**
   * Registers a subscription: its handler name (the handler's class name, made unique) and its
   * queue, `<service>.<Handler>.<pattern>` with wildcards spelt out, unless `queue` names one.
   */
  add(input: { id: string; pattern: string; baseName: string; queue?: string; priority: number; handle(event: StokEvent): Promise<void> }): DistributedSubscription {
    if (this.stopped) throw new StokcerdasError(ErrorCodes.HOST_STATE, `cannot subscribe to ${input.pattern}: the event bus is shut down`);
    const { pattern } = input;
    if (!TOPIC_PATTERN.test(pattern)) {
      throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, `cannot subscribe to "${pattern}": not an event type or topic pattern`, { pattern });
    }
    if (exchangeForType(pattern) === undefined) {
      throw new StokcerdasError(
        ErrorCodes.CONFIG_INVALID,
        `cannot subscribe to "${pattern}" with distributed: true: it must start with a domain (inventory., orders., customers., analytics., indonesian.business.) to pick the exchange`,
        { pattern },
      );
    }
    const taken = [...this.subscriptions.values()];
    let handlerName = input.baseName;
    for (let n = 2; taken.some((s) => s.handlerName === handlerName); n++) handlerName = `${input.baseName}-${n}`;
    const base = input.queue ?? `${this.input.service}.${input.baseName}.${pattern.replaceAll('*', 'any').replaceAll('#', 'all')}`;
    let queue = base;
    for (let n = 2; taken.some((s) => s.queue === queue); n++) queue = `${base}.${n}`;
    const subscription: DistributedSubscription = { id: input.id, pattern, queue, handlerName, priority: input.priority, handle: input.handle };
    this.subscriptions.set(subscription.id, subscription);
    this.pending.push(subscription);
    // after start, subscriptions made in the same tick start together
    if (this.started && !this.scheduled) {
      this.scheduled = Promise.resolve().then(() => {
        this.scheduled = undefined;
        return this.startPending();
      });
      this.scheduled.catch((err: unknown) => this.input.logger.error({ err }, 'distributed subscription failed to start'));
    }
    return subscription;
  }

  /** Starts what was subscribed so far (NestJS: onApplicationBootstrap, after every onModuleInit). */
  async start(): Promise<void> {
    if (this.started) return this.scheduled;
    this.started = true;
    await this.startPending();
  }

  private async startPending(): Promise<void> {
    const batch = this.pending.splice(0);
    if (batch.length === 0 || this.stopped) return;
    // loaded only when a service subscribes distributed: a publisher never loads the host
    const { createHost } = await import('../host/host.ts');
    const handlers: Record<string, HandlerDefinition> = {};
    for (const s of [...batch].sort((a, b) => b.priority - a.priority)) {
      handlers[s.handlerName] = {
        subscribe: { exchange: exchangeForType(s.pattern)!, routingKeys: [s.pattern], queue: s.queue },
        handle: (event) => s.handle(event as StokEvent),
      };
    }
    const plugin: PluginDefinition = { name: this.input.service, version: '1.0.0', handlers, events: this.input.events };
    const { config } = this.input;
    const host = createHost(
      { ...config, http: { ...config.http, enabled: false }, plugins: { ...config.plugins, strict: true } },
      {
        plugins: [plugin],
        logger: this.input.logger.child({ component: 'distributed', group: ++this.group }),
        transport: this.input.sharedTransport && borrowed(this.input.sharedTransport),
      },
    );
    this.hosts.push(host);
    await host.start();
  }

  /** Stops consuming (in-flight deliveries drain) and closes the consumers' connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.scheduled?.catch(() => {});
    await Promise.all(this.hosts.map((h) => h.stop()));
  }

  get size(): number {
    return this.subscriptions.size;
  }

  stats(): HostStats[] {
    return this.hosts.filter((h) => h.state === 'ready').map((h) => h.stats());
  }

  connected(): boolean {
    return this.hosts.every((h) => h.state !== 'ready' || h.transport.status().connected);
  }
}

/** The transport for a host that must not close it: its owner (the client) does, last. */
function borrowed(t: Transport): Transport {
  return {
    kind: t.kind,
    durable: t.durable,
    carriesEvents: t.carriesEvents,
    connect: () => t.connect(),
    assertTopology: (topology) => t.assertTopology(topology),
    publish: (message) => t.publish(message),
    publishBatch: (messages) => t.publishBatch(messages),
    consume: (queue, options, handler) => t.consume(queue, options, handler),
    get: (queue) => t.get(queue),
    queueInfo: (queue) => t.queueInfo(queue),
    purge: (queue) => t.purge(queue),
    status: () => t.status(),
    close: async () => {},
  };
}
