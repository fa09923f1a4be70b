import type { ChannelModel } from 'amqplib';
import amqpManager, { type AmqpConnectionManager } from 'amqp-connection-manager';
import type { Logger } from 'pino';
import { type AmqpTransportOptions, backoffDelayMs, nodeOf, socketOptions } from './connection-options.ts';
import { batchSocketWrites } from './write-batching.ts';

export interface LinkEvents {
  /** a new connection is open (set it up; the link does not count as up until `up()`) */
  connected(connection: ChannelModel, node: string): void;
  disconnected(err: unknown): void;
  /** an attempt failed (retries go on) */
  failed(err: unknown): void;
  /** the first attempt was refused (access refused, a bad URL): connect() need not wait on */
  rejected(err: unknown): void;
}

/**
 * One reconnecting connection to the cluster (amqp-connection-manager walks the URL list
 * round-robin: after losing node i it tries i+1 first) with capped exponential backoff.
 */
export class Link {
  private manager: AmqpConnectionManager | undefined;
  private attempt = 0;

  constructor(
    private readonly role: string,
    private readonly urls: string[],
    private readonly options: AmqpTransportOptions,
    private readonly events: LinkEvents,
    private readonly logger: Logger | undefined,
  ) {}

  get started(): boolean {
    return this.manager !== undefined;
  }

  /** true while `connection` is the manager's live one */
  isCurrent(connection: ChannelModel): boolean {
    return this.manager?.connection === (connection as unknown);
  }

  start(): void {
    const { reconnect } = this.options;
    const urls = this.urls;
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
    manager.on('connect', ({ connection, url }) => {
      this.attempt = 0;
      const model = connection as unknown as ChannelModel;
      batchSocketWrites(model);
      this.events.connected(model, nodeOf(url));
    });
    manager.on('disconnect', ({ err }) => {
      backoff();
      this.events.disconnected(err);
    });
    manager.on('connectFailed', ({ err, url }) => {
      backoff();
      this.logger?.warn({ link: this.role, node: nodeOf(url), err: err?.message, retryInMs: manager.reconnectTimeInSeconds * 1000 }, 'amqp connect failed');
      this.events.failed(err);
    });
    manager.on('blocked', ({ reason }) => this.logger?.warn({ link: this.role, reason }, 'broker blocked the connection (resource alarm): publishes wait'));
    manager.on('unblocked', () => this.logger?.info({ link: this.role }, 'broker unblocked the connection'));
    // the first attempt is started here; its rejection (access refused) goes to `rejected`
    manager.connect().catch((err: unknown) => this.events.rejected(err));
  }

  /**
   * Drop the live connection, if any: the manager sees it close and dials again after the backoff.
   * Not `manager.reconnect()`: that removes every listener from the connection first, its 'error'
   * one included, and a socket error during the close (the broker closing it too) then crashed
   * the process as an unhandled 'error' event.
   */
  cycle(): void {
    const connection = this.manager?.connection as unknown as ChannelModel | undefined;
    connection?.close().catch(() => {});
  }

  /** drop the connection and dial again (after a failed set-up) */
  reconnect(connection: ChannelModel): void {
    if (this.isCurrent(connection)) connection.close().catch(() => {});
  }

  async close(): Promise<void> {
    const manager = this.manager;
    this.manager = undefined;
    if (manager) await manager.close().catch(() => {});
  }
}
