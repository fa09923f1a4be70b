import type { ChannelModel } from 'amqplib';
import amqpManager, { type AmqpConnectionManager } from 'amqp-connection-manager';
import type { Logger } from 'pino';
import { ErrorCodes, StokcerdasError, isStokcerdasError } from '../../errors.ts';
import type {
  Consumer, ConsumeOptions, DeliveryCallback, DeliveryHandler, OutgoingMessage, QueueInfo, TopologySpec, Transport, TransportStatus,
} from '../contract.ts';
import { type AmqpTransportOptions, backoffDelayMs, nodeOf, redactUrl, socketOptions } from './connection-options.ts';
import { ConsumerRegistration } from './consumer.ts';
import { transportClosed } from './broker-errors.ts';
import { Publisher } from './confirm-publisher.ts';
import { QueueOperations, type GetResult } from './queue-operations.ts';
import { TopologyRegistry, declareTopology } from './topology.ts';

export type StatusListener = (status: TransportStatus) => void;

export class AmqpTransport implements Transport {
  readonly kind = 'amqp' as const;
  readonly durable = true;
  private manager: AmqpConnectionManager | undefined;
  /** the connection everything is set up on (undefined while disconnected or setting up) */
  private connection: ChannelModel | undefined;
  private connectedOnce = false;
  private reconnects = 0;
  private attempt = 0;
  /** the node of the live connection, and of the one before it (to count moves) */
  private node: string | undefined;
  private lastNode: string | undefined;
  private failovers = 0;
  private readonly urls: string[];
  private lastError: unknown;
  private closed = false;
  private setupChain: Promise<void> = Promise.resolve();
  private readyWaiters: Array<() => void> = [];
  private readonly listeners = new Set<StatusListener>();
  private readonly registry = new TopologyRegistry();
  private readonly consumers = new Set<ConsumerRegistration>();
  private readonly publisher: Publisher;
  private readonly logger: Logger | undefined;
  private readonly ops = new QueueOperations();

  constructor(private readonly options: AmqpTransportOptions) {
    this.logger = options.logger?.child({ component: 'transport.amqp' });
    this.urls = options.urls && options.urls.length > 0 ? [...options.urls] : [options.url];
    this.publisher = new Publisher({
      bufferSize: options.publishBufferSize,
      registry: this.registry,
      logger: this.logger,
      checkExchange: async (name) => {
        if (!this.connection) throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `cannot check exchange ${name}: not connected to RabbitMQ`);
        await this.ops.checkExchange(this.connection, name);
      },
    });
  }

  async connect(): Promise<void> {
    if (this.closed) throw transportClosed('connect');
    if (!this.manager) this.startManager();
    const timeoutMs = this.options.connectTimeoutMs ?? 30_000;
    if (!(await this.whenReady(timeoutMs))) {
      const cause = this.lastError instanceof Error ? this.lastError.message : String(this.lastError ?? 'no answer');
      throw new StokcerdasError(
        ErrorCodes.TRANSPORT_CLOSED,
        `could not connect to RabbitMQ at ${this.urls.map(redactUrl).join(', ')} within ${timeoutMs} ms (last error: ${cause}). ` +
          `Check broker.url / broker.urls (RABBITMQ_URL / RABBITMQ_URLS) and that the broker runs; retries continue until close().`,
        { urls: this.urls.map(redactUrl) },
        { cause: this.lastError },
      );
    }
  }

  async assertTopology(topology: TopologySpec): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const connection = await this.readyConnection('declare topology');
      try {
        return await declareTopology(connection, topology, this.registry);
      } catch (err) {
        // a coded error is the broker's answer; anything else here is the connection dropping
        if (isStokcerdasError(err) || attempt >= 3 || this.connection === connection) throw err;
      }
    }
  }

  publish(message: OutgoingMessage): Promise<void> {
    return this.publisher.publish(message);
  }

  publishBatch(messages: OutgoingMessage[]): Promise<void> {
    return this.publisher.publishBatch(messages);
  }

  consume(queue: string, options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumer>;
  consume(queue: string, options: ConsumeOptions, handler: DeliveryCallback): Promise<Consumer>;
  async consume(queue: string, options: ConsumeOptions, handler: DeliveryCallback): Promise<Consumer> {
    if (this.closed) throw transportClosed(`consume from "${queue}"`);
    if (!(options.prefetch >= 0) || !(options.concurrency >= 0)) {
      throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, `consume("${queue}"): prefetch and concurrency must be ≥ 0 (0 = unlimited)`, { queue, ...options });
    }
    const reg = new ConsumerRegistration(queue, options, handler, {
      logger: this.logger,
      ackBatchSize: this.options.ackBatchSize ?? 50,
      ackFlushMs: this.options.ackFlushMs ?? 10,
      currentConnection: () => this.connection,
      forget: (r) => this.consumers.delete(r),
    });
    this.consumers.add(reg);
    const connection = this.connection;
    if (connection) {
      try {
        await reg.start(connection);
      } catch (err) {
        if (isStokcerdasError(err, ErrorCodes.UNKNOWN_QUEUE)) {
          this.consumers.delete(reg);
          throw err;
        }
        // the connection dropped under us: the registration starts on the next connect
        this.logger?.warn({ err, queue }, 'consumer not started yet; it starts on reconnect');
      }
    }
    return reg;
  }

  async get(queue: string): Promise<GetResult> {
    return this.ops.get(await this.readyConnection(`get from "${queue}"`), queue);
  }

  /** `messages` is RabbitMQ's ready count: deliveries held unacked by consumers are not in it. */
  async queueInfo(queue: string): Promise<QueueInfo> {
    return this.ops.queueInfo(await this.readyConnection(`inspect queue "${queue}"`), queue);
  }

  async purge(queue: string): Promise<number> {
    return this.ops.purge(await this.readyConnection(`purge queue "${queue}"`), queue);
  }

  status(): TransportStatus {
    const status: TransportStatus = {
      connected: this.connection !== undefined,
      reconnects: this.reconnects,
      bufferedPublishes: this.publisher.bufferedPublishes,
      failovers: this.failovers,
    };
    if (this.connection && this.node) status.node = this.node;
    return status;
  }

  /** Called on every connect / disconnect (for /readyz); returns the unsubscribe function. */
  onStatusChange(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Desired consumers and whether each currently has a broker consumer (for /readyz). */
  consumerStates(): Array<{ queue: string; consuming: boolean }> {
    return [...this.consumers].map((c) => ({ queue: c.queue, consuming: c.isConsuming }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const timeoutMs = this.options.closeTimeoutMs ?? 10_000;
    await Promise.all([...this.consumers].map((c) => c.cancel(timeoutMs)));
    await this.publisher.close(timeoutMs);
    this.ops.reset();
    const manager = this.manager;
    this.manager = undefined;
    this.connection = undefined;
    for (const w of this.readyWaiters.splice(0)) w();
    if (manager) await manager.close().catch(() => {});
    this.emitStatus();
  }

  private startManager(): void {
    const { reconnect } = this.options;
    const urls = this.urls;
    // amqp-connection-manager walks the list round-robin: after losing node i it tries i+1 first
    const manager = amqpManager.connect(urls, {
      heartbeatIntervalInSeconds: this.options.heartbeatSec ?? 30,
      reconnectTimeInSeconds: reconnect.initialDelayMs / 1000,
      connectionOptions: socketOptions(this.options) as never,
    });
    this.manager = manager;
    // amqp-connection-manager waits a fixed reconnectTimeInSeconds, read right after it emits
    // 'disconnect' / 'connectFailed': setting it there gives capped exponential backoff
    // the exponent grows per round over the nodes, not per node: the next node is tried soon
    const backoff = () => {
      manager.reconnectTimeInSeconds = backoffDelayMs(Math.floor(this.attempt++ / urls.length), reconnect) / 1000;
    };
    manager.on('connect', ({ connection, url }) => this.onConnect(connection as unknown as ChannelModel, nodeOf(url)));
    manager.on('disconnect', ({ err }) => {
      backoff();
      this.onDisconnect(err);
    });
    manager.on('connectFailed', ({ err, url }) => {
      backoff();
      this.lastError = err;
      this.logger?.warn({ node: nodeOf(url), err: err?.message, retryInMs: manager.reconnectTimeInSeconds * 1000 }, 'amqp connect failed');
    });
    manager.on('blocked', ({ reason }) => this.logger?.warn({ reason }, 'broker blocked the connection (resource alarm): publishes wait'));
    manager.on('unblocked', () => this.logger?.info('broker unblocked the connection'));
    // the first attempt is started by connect(); its rejection (access refused) is in lastError
    manager.connect().catch((err: unknown) => {
      this.lastError = err;
      for (const w of this.readyWaiters.splice(0)) w();
    });
  }

  private onConnect(connection: ChannelModel, node: string): void {
    this.attempt = 0;
    this.setupChain = this.setupChain
      .then(() => this.setUp(connection, node))
      .catch((err: unknown) => {
        this.lastError = err;
        this.logger?.error({ err }, 'amqp set-up after connect failed; forcing a reconnect');
        if (!this.closed && this.manager?.connection === connection) this.manager.reconnect();
      });
  }

  /** After every (re)connect: topology, then the publisher, then every desired consumer. */
  private async setUp(connection: ChannelModel, node: string): Promise<void> {
    if (this.closed || this.manager?.connection !== connection) return;
    if (!this.registry.isEmpty) {
      await declareTopology(connection, this.registry.snapshot(), this.registry).catch((err: unknown) => {
        if (!isStokcerdasError(err)) throw err;
        this.logger?.error({ err }, 're-declaring the topology after reconnect failed');
      });
    }
    await this.publisher.attach(connection);
    await Promise.all(
      [...this.consumers].map((c) =>
        c.start(connection).catch((err: unknown) => {
          this.logger?.error({ err, queue: c.queue }, 'consumer could not be re-established; retrying');
          c.retryLater();
        }),
      ),
    );
    if (this.manager?.connection !== connection) return;
    if (this.connectedOnce) this.reconnects++;
    if (this.lastNode !== undefined && this.lastNode !== node) this.failovers++;
    this.connectedOnce = true;
    this.connection = connection;
    this.node = node;
    this.lastNode = node;
    this.logger?.info({ node, reconnects: this.reconnects, failovers: this.failovers }, 'amqp connected');
    for (const w of this.readyWaiters.splice(0)) w();
    this.emitStatus();
  }

  private onDisconnect(err: unknown): void {
    this.lastError = err;
    this.node = undefined;
    const wasConnected = this.connection !== undefined;
    this.connection = undefined;
    this.publisher.detach();
    for (const c of this.consumers) c.detach();
    this.ops.reset();
    if (this.closed) return;
    this.logger?.warn({ err: err instanceof Error ? err.message : err }, 'amqp connection lost; reconnecting');
    if (wasConnected) this.emitStatus();
  }

  private emitStatus(): void {
    const status = this.status();
    for (const l of this.listeners) {
      try {
        l(status);
      } catch (err) {
        this.logger?.error({ err }, 'status listener threw');
      }
    }
  }

  private whenReady(timeoutMs: number): Promise<boolean> {
    if (this.connection) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.connection !== undefined);
      });
    });
  }

  private async readyConnection(what: string): Promise<ChannelModel> {
    if (this.closed) throw transportClosed(what);
    if (!this.manager) throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `amqp transport: call connect() before you ${what}`);
    const timeoutMs = this.options.connectTimeoutMs ?? 30_000;
    if (!this.connection && !(await this.whenReady(timeoutMs))) {
      throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `cannot ${what}: not connected to RabbitMQ for ${timeoutMs} ms`);
    }
    if (!this.connection) throw transportClosed(what);
    return this.connection;
  }
}
