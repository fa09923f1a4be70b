import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { ResolvedConfig, StokcerdasConfigInput } from '../../config/schema.ts';
import { systemClock, type Clock } from '../clock/index.ts';
import { createContextProvider, contextExtensions } from '../context/index.ts';
import type { ContextProvider } from '../context/provider.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import { SchemaRegistry } from '../events/schemas.ts';
import type { PayloadFor } from '../events/event-types.ts';
import type { PublishOptions, StokEvent } from '../events/types.ts';
import type { EventSchemaInput } from '../events/versions.ts';
import { createLogger } from '../observability/logger.ts';
import { LocalSubscriptions, type LocalListener } from '../publishing/local-subscriptions.ts';
import { Publisher } from '../publishing/publisher.ts';
import { buildTopology } from '../topology/build.ts';
import { createTransport } from '../transport/index.ts';
import type { Transport, TransportStatus } from '../transport/contract.ts';
import { resolveClientConfig } from './config.ts';

export interface ClientOptions {
  /** overlay these environment variables on the config, as the host does (pass `process.env`) */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  clock?: Clock;
  /** a transport of your own (tests); default: the one the config selects */
  transport?: Transport;
  provider?: ContextProvider;
  /** the CloudEvents `source`; default `urn:stokcerdas:client:<host>/<pid>` */
  source?: string;
  /** payload schemas of this service's own event types, validated like the catalog's */
  events?: Record<string, EventSchemaInput>;
}

export type ClientState = 'created' | 'starting' | 'ready' | 'closing' | 'closed' | 'failed';

/** One item of `publishBatch`: a known type's `data` is checked at compile time. */
export interface BatchItem<T extends string = string> {
  type: T;
  data: PayloadFor<T>;
  options?: PublishOptions;
}

export interface ClientStats {
  state: ClientState;
  transport: 'memory' | 'amqp';
  connection: TransportStatus;
  /** confirmed publishes by type */
  published: Record<string, number>;
  /** publishes refused or not confirmed */
  failed: number;
  localListeners: number;
}

/**
 * Publishing for services that are not plugins: the host's own publisher (validation with
 * upcasting, CloudEvents encoding, Indonesian enrichment, topology names) on the host's transport
 * (publisher confirms, the bounded buffer while the broker is away), without plugins, HTTP or
 * worker threads. `subscribe` adds in-process listeners for what this client published.
 */
export class StokcerdasClient {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly transport: Transport;
  readonly registry: SchemaRegistry;
  private readonly publisher: Publisher;
  private readonly local: LocalSubscriptions;
  private readonly published = new Map<string, number>();
  private failed = 0;
  private current: ClientState = 'created';
  private starting?: Promise<void>;
  private closing?: Promise<void>;

  constructor(config: StokcerdasConfigInput = {}, options: ClientOptions = {}) {
    this.config = resolveClientConfig(config, options.env);
    const clock = options.clock ?? systemClock;
    const name = `${hostname()}/${process.pid}`;
    this.logger = options.logger ?? createLogger({ level: this.config.log.level, name: 'stokcerdas-client' });
    const broker = { ...this.config.broker, connectionName: this.config.broker.connectionName ?? `stokcerdas-client@${name}` };
    this.transport = options.transport ?? createTransport({ ...this.config, broker }, { clock, logger: this.logger, hostName: name });
    this.registry = new SchemaRegistry();
    for (const [type, schema] of Object.entries(options.events ?? {})) this.registry.register(type, schema);
    this.local = new LocalSubscriptions(this.logger);
    this.publisher = new Publisher({
      transport: this.transport,
      prefix: this.config.broker.prefix,
      clock,
      provider: options.provider ?? createContextProvider(this.config, () => clock.now()),
      extensionsFor: contextExtensions,
      registry: this.registry,
      source: options.source ?? `urn:stokcerdas:client:${name}`,
      appId: 'stokcerdas-client',
      defaultPriority: this.config.broker.defaultPriority,
      defaultTtlMs: this.config.broker.defaultTtlMs,
      local: this.local,
      onPublished: (event) => this.published.set(event.type, (this.published.get(event.type) ?? 0) + 1),
    });
  }

  get state(): ClientState {
    return this.current;
  }

  /**
   * Connects and declares the exchanges (the seed's and the dead-letter one) so a publish never
   * meets a missing exchange. Queues are the consuming hosts' to declare. Idempotent.
   */
  start(): Promise<void> {
    this.starting ??= this.connect();
    return this.starting;
  }

  private async connect(): Promise<void> {
    if (this.current !== 'created') throw new StokcerdasError(ErrorCodes.HOST_STATE, `client.start() called while ${this.current}`);
    this.current = 'starting';
    try {
      if (!this.transport.durable) {
        this.logger.warn('memory transport: what this client publishes stays in this process (set broker.url or RABBITMQ_URL, and pass env: process.env, for RabbitMQ)');
      }
      await this.transport.connect();
      const { exchanges } = buildTopology([], { prefix: this.config.broker.prefix, queueType: this.config.broker.queueType });
      await this.transport.assertTopology({ exchanges, queues: [], routes: [] });
      this.current = 'ready';
    } catch (err) {
      this.current = 'failed';
      await this.transport.close().catch(() => {});
      throw err;
    }
  }

  /** Validated, encoded and confirmed by the broker; local listeners run after the confirm. */
  publish<T extends string>(type: T, data: PayloadFor<T>, options?: PublishOptions): Promise<StokEvent<PayloadFor<T>>> {
    const refused = this.refusal(type);
    if (refused) return Promise.reject(refused);
    return this.publisher.publish(type, data, options).then(
      (event) => event as StokEvent<PayloadFor<T>>,
      (err: unknown) => {
        this.failed++;
        throw err;
      },
    );
  }

  /** Every item validated before any is sent (EVENT_INVALID lists each bad one by index), then one confirm wait. */
  publishBatch<const Types extends readonly string[]>(items: { [I in keyof Types]: BatchItem<Types[I]> }): Promise<StokEvent[]> {
    const list = items as readonly BatchItem[];
    const refused = this.refusal(`${list.length} events`);
    if (refused) return Promise.reject(refused);
    return this.publisher.publishMany(list.map((i) => ({ type: i.type, data: i.data, options: i.options }))).catch((err: unknown) => {
      this.failed += list.length;
      throw err;
    });
  }

  /**
   * The event as `publish` would send it, handed to the local listeners only: nothing reaches the
   * broker (the seed's `distributed: false`). Validated all the same.
   */
  emitLocal<T extends string>(type: T, data: PayloadFor<T>, options?: PublishOptions): StokEvent<PayloadFor<T>> {
    const { event } = this.publisher.prepare(type, data, options);
    this.local.emit(event);
    return event as StokEvent<PayloadFor<T>>;
  }

  /**
   * In-process listener for the events this client publishes (a type or a topic pattern,
   * `inventory.#`), called once the broker confirmed them. Not a delivery guarantee: a listener's
   * error is logged, never retried; use a host binding for that. Returns the unsubscribe function.
   */
  subscribe(pattern: string, listener: LocalListener): () => void {
    if (!this.config.local.enabled) {
      throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, `cannot subscribe to ${pattern}: local listeners are off (local.enabled / EVENT_BUS_LOCAL_ENABLED=false)`, { pattern });
    }
    return this.local.subscribe(pattern, listener);
  }

  stats(): ClientStats {
    return {
      state: this.current,
      transport: this.transport.kind,
      connection: this.transport.status(),
      published: Object.fromEntries(this.published),
      failed: this.failed,
      localListeners: this.local.size,
    };
  }

  /** Waits for outstanding confirms, then closes the connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.starting?.catch(() => {});
      this.current = 'closing';
      await this.transport.close();
      this.current = 'closed';
    })();
    return this.closing;
  }

  private refusal(what: string): StokcerdasError | undefined {
    if (this.current === 'ready') return undefined;
    const hint = this.current === 'created' || this.current === 'starting' ? ' (await client.start() first)' : '';
    return new StokcerdasError(ErrorCodes.HOST_STATE, `cannot publish ${what}: client is ${this.current}${hint}`);
  }
}

/** `new StokcerdasClient(config, options)` and `start()` in one. */
export async function createClient(config: StokcerdasConfigInput = {}, options: ClientOptions = {}): Promise<StokcerdasClient> {
  const client = new StokcerdasClient(config, options);
  await client.start();
  return client;
}
