import type { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { ErrorCodes, StokcerdasError, isStokcerdasError } from '../../errors.ts';
import type {
  Consumer, ConsumeOptions, DeliveryCallback, DeliveryHandler, OutgoingMessage, QueueInfo, TopologySpec, Transport, TransportStatus,
} from '../contract.ts';
import { type AmqpTransportOptions, defaultConnectionName, redactUrl } from './connection-options.ts';
import { ConsumerRegistration } from './consumer.ts';
import { transportClosed } from './broker-errors.ts';
import { Publisher } from './confirm-publisher.ts';
import { Link } from './link.ts';
import { QueueOperations, type GetResult } from './queue-operations.ts';
import { TopologyRegistry, declareTopology } from './topology.ts';

export type StatusListener = (status: TransportStatus) => void;

/**
 * Two connections to the same cluster: one publishes (its client-provided name ends in
 * " (publish)"), the other declares, consumes, acks and inspects. RabbitMQ throttles a connection whose publishes
 * outrun its queues (credit flow) by no longer reading from its socket; on a shared connection
 * that held back the consumer's acks too, so the queue grew while the consumer waited on its
 * prefetch (in a closed loop the median latency rose 3–8 times). To everything above the transport
 * they are one connection: it is up while both are, publishes are sent only then (held otherwise,
 * as before), losing either one cycles the other (one loss, one reconnect), and `node` and
 * fail-overs are those of the consuming connection.
 */
export class AmqpTransport implements Transport {
  readonly kind = 'amqp' as const;
  readonly durable = true;
  private main: Link | undefined;
  private pub: Link | undefined;
  /** the consuming connection everything is set up on (undefined while disconnected or setting up) */
  private connection: ChannelModel | undefined;
  /** the publishing connection, once the publisher channel is open on it */
  private pubConnection: ChannelModel | undefined;
  /** both were up when last looked at (status changes are emitted on its transitions) */
  private up = false;
  private connectedOnce = false;
  private reconnects = 0;
  /** the node of the live connection, and of the one before it (to count moves) */
  private node: string | undefined;
  private lastNode: string | undefined;
  private failovers = 0;
  private readonly urls: string[];
  private lastError: unknown;
  private closed = false;
  private setupChain: Promise<void> = Promise.resolve();
  private pubSetupChain: Promise<void> = Promise.resolve();
  private upChain: Promise<void> = Promise.resolve();
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
    if (!this.main) this.startLinks();
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
      connected: this.up,
      reconnects: this.reconnects,
      bufferedPublishes: this.publisher.bufferedPublishes,
      failovers: this.failovers,
    };
    if (this.up && this.node) status.node = this.node;
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
    const links = [this.main, this.pub];
    this.main = undefined;
    this.pub = undefined;
    this.connection = undefined;
    this.pubConnection = undefined;
    this.up = false;
    for (const w of this.readyWaiters.splice(0)) w();
    await Promise.all(links.map((l) => l?.close()));
    this.emitStatus();
  }

  private startLinks(): void {
    const failed = (err: unknown) => {
      this.lastError = err;
    };
    const rejected = (err: unknown) => {
      this.lastError = err;
      // connect() waits no longer on an attempt the broker refused (access refused fails fast)
      for (const w of this.readyWaiters.splice(0)) w();
    };
    const main = new Link('consume', this.urls, this.options, {
      connected: (connection, node) => this.onConnect(connection, node),
      disconnected: (err) => this.onDisconnect(err),
      failed,
      rejected,
    }, this.logger);
    // told apart in the management UI; closing the consuming one by name cycles this one too
    const pubOptions = { ...this.options, connectionName: `${this.options.connectionName ?? defaultConnectionName()} (publish)` };
    const pub = new Link('publish', this.urls, pubOptions, {
      connected: (connection) => this.onPublishConnect(connection),
      disconnected: (err) => this.onPublishDisconnect(err),
      failed,
      rejected,
    }, this.logger);
    this.main = main;
    this.pub = pub;
    main.start();
    pub.start();
  }

  private onConnect(connection: ChannelModel, node: string): void {
    this.setupChain = this.setupChain
      .then(() => this.setUp(connection, node))
      .catch((err: unknown) => {
        this.lastError = err;
        this.logger?.error({ err }, 'amqp set-up after connect failed; forcing a reconnect');
        if (!this.closed) this.main?.reconnect(connection);
      });
  }

  /** After every (re)connect of the consuming connection: topology, then every desired consumer. */
  private async setUp(connection: ChannelModel, node: string): Promise<void> {
    if (this.closed || !this.main?.isCurrent(connection)) return;
    await this.redeclare(connection);
    await Promise.all(
      [...this.consumers].map((c) =>
        c.start(connection).catch((err: unknown) => {
          this.logger?.error({ err, queue: c.queue }, 'consumer could not be re-established; retrying');
          c.retryLater();
        }),
      ),
    );
    if (!this.main?.isCurrent(connection)) return;
    if (this.lastNode !== undefined && this.lastNode !== node) this.failovers++;
    this.connection = connection;
    this.node = node;
    this.lastNode = node;
    this.linkChanged();
  }

  private onPublishConnect(connection: ChannelModel): void {
    this.pubSetupChain = this.pubSetupChain
      .then(() => this.setUpPublisher(connection))
      .catch((err: unknown) => {
        this.lastError = err;
        this.logger?.error({ err }, 'amqp publisher set-up after connect failed; forcing a reconnect');
        if (!this.closed) this.pub?.reconnect(connection);
      });
  }

  /** After every (re)connect of the publishing connection: the topology (a node that lost it); the publisher attaches once both are up. */
  private async setUpPublisher(connection: ChannelModel): Promise<void> {
    if (this.closed || !this.pub?.isCurrent(connection)) return;
    await this.redeclare(connection);
    if (!this.pub?.isCurrent(connection)) return;
    this.pubConnection = connection;
    this.linkChanged();
  }

  private async redeclare(connection: ChannelModel): Promise<void> {
    if (this.registry.isEmpty) return;
    await declareTopology(connection, this.registry.snapshot(), this.registry).catch((err: unknown) => {
      if (!isStokcerdasError(err)) throw err;
      this.logger?.error({ err }, 're-declaring the topology after reconnect failed');
    });
  }

  private onDisconnect(err: unknown): void {
    this.lastError = err;
    this.node = undefined;
    this.connection = undefined;
    for (const c of this.consumers) c.detach();
    this.ops.reset();
    if (this.closed) return;
    this.logger?.warn({ link: 'consume', err: err instanceof Error ? err.message : err }, 'amqp connection lost; reconnecting');
    if (this.up) this.pub?.cycle();
    this.linkChanged();
  }

  private onPublishDisconnect(err: unknown): void {
    this.lastError = err;
    this.pubConnection = undefined;
    if (this.closed) return;
    this.logger?.warn({ link: 'publish', err: err instanceof Error ? err.message : err }, 'amqp connection lost; reconnecting');
    if (this.up) {
      // nothing may be acked on the consuming connection while it closes (amqplib throws)
      for (const c of this.consumers) c.detach();
      this.main?.cycle();
    }
    this.linkChanged();
  }

  /**
   * Down as soon as either connection is: publishes are held from then on (the cycled publishing
   * connection fails what awaited a confirm back into the buffer). Up once both are and the
   * publisher channel is open: the buffer goes out, readiness and the listeners follow.
   */
  private linkChanged(): void {
    if (this.up && (this.connection === undefined || this.pubConnection === undefined)) {
      this.up = false;
      this.publisher.detach();
      this.emitStatus();
      return;
    }
    if (this.up || this.connection === undefined || this.pubConnection === undefined) return;
    this.upChain = this.upChain.then(() => this.goUp()).catch((err: unknown) => {
      this.lastError = err;
      this.logger?.error({ err }, 'could not open the publisher channel; reconnecting');
      const connection = this.pubConnection;
      if (!this.closed && connection) this.pub?.reconnect(connection);
    });
  }

  private async goUp(): Promise<void> {
    const connection = this.connection;
    const pubConnection = this.pubConnection;
    if (this.closed || this.up || !connection || !pubConnection) return;
    await this.publisher.attach(pubConnection);
    if (this.closed || this.up || this.connection !== connection || this.pubConnection !== pubConnection) return;
    this.up = true;
    if (this.connectedOnce) this.reconnects++;
    this.connectedOnce = true;
    this.logger?.info({ node: this.node, reconnects: this.reconnects, failovers: this.failovers }, 'amqp connected');
    for (const w of this.readyWaiters.splice(0)) w();
    this.emitStatus();
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
    if (this.up) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.up);
      });
    });
  }

  private async readyConnection(what: string): Promise<ChannelModel> {
    if (this.closed) throw transportClosed(what);
    if (!this.main) throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `amqp transport: call connect() before you ${what}`);
    const timeoutMs = this.options.connectTimeoutMs ?? 30_000;
    if (!this.connection && !(await this.whenReady(timeoutMs))) {
      throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, `cannot ${what}: not connected to RabbitMQ for ${timeoutMs} ms`);
    }
    if (!this.connection) throw transportClosed(what);
    return this.connection;
  }
}
