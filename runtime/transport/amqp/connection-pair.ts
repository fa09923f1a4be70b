import type { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { type AmqpTransportOptions, defaultConnectionName } from './connection-options.ts';
import { Link } from './link.ts';

/** What the transport does at each step of the pair's life; the pair decides when. */
export interface ConnectionPairHooks {
  /** close() has begun: nothing is set up or reported any more */
  closed(): boolean;
  /** a new consuming connection: topology, then every desired consumer (it counts once this settles) */
  setUpConsuming(connection: ChannelModel): Promise<void>;
  /** a new publishing connection: the topology (a node that lost it) */
  setUpPublishing(connection: ChannelModel): Promise<void>;
  /** the consuming connection is gone: its consumers and cached channels with it */
  consumingLost(): void;
  /** nothing may be acked on a consuming connection while it closes (amqplib throws) */
  detachConsumers(): void;
  /** both connections are up: open the publisher channel on the publishing one */
  attachPublisher(connection: ChannelModel): Promise<void>;
  /** either connection is down: hold publishes from now on */
  detachPublisher(): void;
  /** `up` changed (status listeners, readiness) */
  changed(): void;
}

/**
 * Two connections to the same cluster: one publishes (its client-provided name ends in
 * " (publish)"), the other declares, consumes, acks and inspects. RabbitMQ throttles a connection
 * whose publishes outrun its queues (credit flow) by no longer reading from its socket; on a shared
 * connection that held back the consumer's acks too, so the queue grew while the consumer waited on
 * its prefetch (in a closed loop the median latency rose 3–8 times). To everything above the
 * transport they are one connection: it is up while both are, publishes are sent only then (held
 * otherwise), losing either one cycles the other (one loss, one reconnect), and `node` and
 * fail-overs are those of the consuming connection.
 *
 * Kept apart from the transport because this is the one place that knows there are two: the
 * transport sees a single up/down, a consuming connection to work on, and hooks to run.
 */
export class ConnectionPair {
  private main: Link | undefined;
  private pub: Link | undefined;
  /** the consuming connection everything is set up on (undefined while disconnected or setting up) */
  private consuming: ChannelModel | undefined;
  /** the publishing connection, once set up on it */
  private publishing: ChannelModel | undefined;
  /** both were up when last looked at (status changes are emitted on its transitions) */
  private isUp = false;
  private connectedOnce = false;
  private reconnectCount = 0;
  /** the node of the live connection, and of the one before it (to count moves) */
  private liveNode: string | undefined;
  private lastNode: string | undefined;
  private failoverCount = 0;
  private error: unknown;
  private setupChain: Promise<void> = Promise.resolve();
  private pubSetupChain: Promise<void> = Promise.resolve();
  private upChain: Promise<void> = Promise.resolve();
  private readyWaiters: Array<() => void> = [];

  constructor(
    private readonly urls: string[],
    private readonly options: AmqpTransportOptions,
    private readonly hooks: ConnectionPairHooks,
    private readonly logger: Logger | undefined,
  ) {}

  get started(): boolean {
    return this.main !== undefined;
  }
  get up(): boolean {
    return this.isUp;
  }
  /** the consuming connection, once set up (consumers, queue operations and topology use it) */
  get connection(): ChannelModel | undefined {
    return this.consuming;
  }
  get node(): string | undefined {
    return this.liveNode;
  }
  get reconnects(): number {
    return this.reconnectCount;
  }
  get failovers(): number {
    return this.failoverCount;
  }
  /** the last thing that went wrong on either connection (connect()'s error message) */
  get lastError(): unknown {
    return this.error;
  }

  start(): void {
    const failed = (err: unknown) => {
      this.error = err;
    };
    const rejected = (err: unknown) => {
      this.error = err;
      // connect() waits no longer on an attempt the broker refused (access refused fails fast)
      this.wakeWaiters();
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

  /** resolves true once both are up, false after `timeoutMs` or when an attempt is refused or the pair closes */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.isUp) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.isUp);
      });
    });
  }

  /** closes both connections; the transport has cancelled its consumers and closed the publisher first */
  async close(): Promise<void> {
    const links = [this.main, this.pub];
    this.main = undefined;
    this.pub = undefined;
    this.consuming = undefined;
    this.publishing = undefined;
    this.isUp = false;
    this.wakeWaiters();
    await Promise.all(links.map((l) => l?.close()));
  }

  private wakeWaiters(): void {
    for (const w of this.readyWaiters.splice(0)) w();
  }

  private onConnect(connection: ChannelModel, node: string): void {
    this.setupChain = this.setupChain
      .then(() => this.setUp(connection, node))
      .catch((err: unknown) => {
        this.error = err;
        this.logger?.error({ err }, 'amqp set-up after connect failed; forcing a reconnect');
        if (!this.hooks.closed()) this.main?.reconnect(connection);
      });
  }

  /** After every (re)connect of the consuming connection: the transport's set-up, then it counts. */
  private async setUp(connection: ChannelModel, node: string): Promise<void> {
    if (this.hooks.closed() || !this.main?.isCurrent(connection)) return;
    await this.hooks.setUpConsuming(connection);
    if (!this.main?.isCurrent(connection)) return;
    if (this.lastNode !== undefined && this.lastNode !== node) this.failoverCount++;
    this.consuming = connection;
    this.liveNode = node;
    this.lastNode = node;
    this.linkChanged();
  }

  private onPublishConnect(connection: ChannelModel): void {
    this.pubSetupChain = this.pubSetupChain
      .then(() => this.setUpPublisher(connection))
      .catch((err: unknown) => {
        this.error = err;
        this.logger?.error({ err }, 'amqp publisher set-up after connect failed; forcing a reconnect');
        if (!this.hooks.closed()) this.pub?.reconnect(connection);
      });
  }

  /** After every (re)connect of the publishing connection; the publisher attaches once both are up. */
  private async setUpPublisher(connection: ChannelModel): Promise<void> {
    if (this.hooks.closed() || !this.pub?.isCurrent(connection)) return;
    await this.hooks.setUpPublishing(connection);
    if (!this.pub?.isCurrent(connection)) return;
    this.publishing = connection;
    this.linkChanged();
  }

  private onDisconnect(err: unknown): void {
    this.error = err;
    this.liveNode = undefined;
    this.consuming = undefined;
    this.hooks.consumingLost();
    if (this.hooks.closed()) return;
    this.logger?.warn({ link: 'consume', err: err instanceof Error ? err.message : err }, 'amqp connection lost; reconnecting');
    if (this.isUp) this.pub?.cycle();
    this.linkChanged();
  }

  private onPublishDisconnect(err: unknown): void {
    this.error = err;
    this.publishing = undefined;
    if (this.hooks.closed()) return;
    this.logger?.warn({ link: 'publish', err: err instanceof Error ? err.message : err }, 'amqp connection lost; reconnecting');
    if (this.isUp) {
      this.hooks.detachConsumers();
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
    if (this.isUp && (this.consuming === undefined || this.publishing === undefined)) {
      this.isUp = false;
      this.hooks.detachPublisher();
      this.hooks.changed();
      return;
    }
    if (this.isUp || this.consuming === undefined || this.publishing === undefined) return;
    this.upChain = this.upChain.then(() => this.goUp()).catch((err: unknown) => {
      this.error = err;
      this.logger?.error({ err }, 'could not open the publisher channel; reconnecting');
      const connection = this.publishing;
      if (!this.hooks.closed() && connection) this.pub?.reconnect(connection);
    });
  }

  private async goUp(): Promise<void> {
    const connection = this.consuming;
    const publishing = this.publishing;
    if (this.hooks.closed() || this.isUp || !connection || !publishing) return;
    await this.hooks.attachPublisher(publishing);
    if (this.hooks.closed() || this.isUp || this.consuming !== connection || this.publishing !== publishing) return;
    this.isUp = true;
    if (this.connectedOnce) this.reconnectCount++;
    this.connectedOnce = true;
    this.logger?.info({ node: this.liveNode, reconnects: this.reconnectCount, failovers: this.failoverCount }, 'amqp connected');
    this.wakeWaiters();
    this.hooks.changed();
  }
}
