import type { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { ErrorCodes, StokcerdasError, isStokcerdasError } from '../../errors.ts';
import type {
  Consumer, ConsumeOptions, DeliveryCallback, DeliveryHandler, OutgoingMessage, QueueInfo, TopologySpec, Transport, TransportStatus,
} from '../contract.ts';
import { type AmqpTransportOptions, redactUrl } from './connection-options.ts';
import { ConnectionPair } from './connection-pair.ts';
import { ConsumerRegistration } from './consumer.ts';
import { transportClosed } from './broker-errors.ts';
import { Publisher } from './confirm-publisher.ts';
import { QueueOperations, type GetResult } from './queue-operations.ts';
import { TopologyRegistry, declareTopology } from './topology.ts';

export type StatusListener = (status: TransportStatus) => void;

/**
 * The AMQP transport: topology, confirmed publishing, consumers and queue operations over a
 * ConnectionPair (connection-pair.ts), which keeps the publishing connection apart from the
 * consuming one and reports them as one connection that is up while both are.
 */
export class AmqpTransport implements Transport {
  readonly kind = 'amqp' as const;
  readonly durable = true;
  private readonly pair: ConnectionPair;
  private readonly urls: string[];
  private closed = false;
  private readonly listeners = new Set<StatusListener>();
  private readonly registry = new TopologyRegistry();
  private readonly consumers = new Set<ConsumerRegistration>();
  private readonly publisher: Publisher;
  private readonly logger: Logger | undefined;
  private readonly ops = new QueueOperations();

  constructor(private readonly options: AmqpTransportOptions) {
    this.logger = options.logger?.child({ component: 'transport.amqp' });
    this.urls = options.urls && options.urls.length > 0 ? [...options.urls] : [options.url];
    this.pair = new ConnectionPair(this.urls, options, {
      closed: () => this.closed,
      setUpConsuming: (connection) => this.setUp(connection),
      setUpPublishing: (connection) => this.redeclare(connection),
      consumingLost: () => {
        for (const c of this.consumers) c.detach();
        this.ops.reset();
      },
      detachConsumers: () => {
        for (const c of this.consumers) c.detach();
      },
      attachPublisher: (connection) => this.publisher.attach(connection),
      detachPublisher: () => this.publisher.detach(),
      changed: () => this.emitStatus(),
    }, this.logger);
    this.publisher = new Publisher({
      bufferSize: options.publishBufferSize,
      registry: this.registry,
      logger: this.logger,
      checkExchange: async (name) => {
        const connection = this.pair.connection;
        if (!connection) throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `cannot check exchange ${name}: not connected to RabbitMQ`);
        await this.ops.checkExchange(connection, name);
      },
    });
  }

  async connect(): Promise<void> {
    if (this.closed) throw transportClosed('connect');
    if (!this.pair.started) this.pair.start();
    const timeoutMs = this.options.connectTimeoutMs ?? 30_000;
    if (!(await this.pair.whenReady(timeoutMs))) {
      const lastError = this.pair.lastError;
      const cause = lastError instanceof Error ? lastError.message : String(lastError ?? 'no answer');
      throw new StokcerdasError(
        ErrorCodes.TRANSPORT_CLOSED,
        `could not connect to RabbitMQ at ${this.urls.map(redactUrl).join(', ')} within ${timeoutMs} ms (last error: ${cause}). ` +
          `Check broker.url / broker.urls (RABBITMQ_URL / RABBITMQ_URLS) and that the broker runs; retries continue until close().`,
        { urls: this.urls.map(redactUrl) },
        { cause: lastError },
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
        if (isStokcerdasError(err) || attempt >= 3 || this.pair.connection === connection) throw err;
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
      currentConnection: () => this.pair.connection,
      forget: (r) => this.consumers.delete(r),
    });
    this.consumers.add(reg);
    const connection = this.pair.connection;
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
      connected: this.pair.up,
      reconnects: this.pair.reconnects,
      bufferedPublishes: this.publisher.bufferedPublishes,
      failovers: this.pair.failovers,
    };
    const node = this.pair.node;
    if (this.pair.up && node) status.node = node;
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
    await this.pair.close();
    this.emitStatus();
  }

  /** After every (re)connect of the consuming connection: topology, then every desired consumer. */
  private async setUp(connection: ChannelModel): Promise<void> {
    await this.redeclare(connection);
    await Promise.all(
      [...this.consumers].map((c) =>
        c.start(connection).catch((err: unknown) => {
          this.logger?.error({ err, queue: c.queue }, 'consumer could not be re-established; retrying');
          c.retryLater();
        }),
      ),
    );
  }

  private async redeclare(connection: ChannelModel): Promise<void> {
    if (this.registry.isEmpty) return;
    await declareTopology(connection, this.registry.snapshot(), this.registry).catch((err: unknown) => {
      if (!isStokcerdasError(err)) throw err;
      this.logger?.error({ err }, 're-declaring the topology after reconnect failed');
    });
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

  private async readyConnection(what: string): Promise<ChannelModel> {
    if (this.closed) throw transportClosed(what);
    if (!this.pair.started) throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `amqp transport: call connect() before you ${what}`);
    const timeoutMs = this.options.connectTimeoutMs ?? 30_000;
    if (!this.pair.connection && !(await this.pair.whenReady(timeoutMs))) {
      throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `cannot ${what}: not connected to RabbitMQ for ${timeoutMs} ms`);
    }
    const connection = this.pair.connection;
    if (!connection) throw transportClosed(what);
    return connection;
  }
}
