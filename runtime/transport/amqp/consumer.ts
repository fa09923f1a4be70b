import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Consumer, ConsumeOptions, DeliveryCallback, Settlement } from '../contract.ts';
import { AckCoalescer, type Tracked } from './ack-coalescer.ts';
import { NOT_FOUND, replyCode, unknownQueue } from './broker-errors.ts';
import { fromMessage } from './properties.ts';
import { closeQuietly } from './topology.ts';

export interface ConsumerDeps {
  logger?: Logger;
  ackBatchSize: number;
  ackFlushMs: number;
  /** the live connection, if any (sessions are re-created on it after a channel error) */
  currentConnection(): ChannelModel | undefined;
  /** removes the registration from the transport's desired-state registry */
  forget(reg: ConsumerRegistration): void;
}

/**
 * One channel and one broker consumer: delivery tags, prefetch and acks belong to it. When the
 * channel dies its pending settlements are dropped (acking a tag on another channel would close
 * that channel with PRECONDITION_FAILED) and the broker redelivers what was unacked.
 */
class Session {
  readonly coalescer: AckCoalescer;
  /** delivered, not started yet (each already tracked: acks go out in delivery order) */
  private waiting: Array<Tracked | undefined> = [];
  private waitHead = 0;
  consumerTag: string | undefined;

  constructor(
    readonly channel: Channel,
    readonly connection: ChannelModel,
    private readonly reg: ConsumerRegistration,
    deps: ConsumerDeps,
  ) {
    // holding more than half the prefetch window unacked would stall the broker's deliveries
    const prefetch = reg.options.prefetch > 0 ? reg.options.prefetch : Infinity;
    const batch = Math.max(1, Math.min(deps.ackBatchSize, Math.floor(prefetch / 2)));
    this.coalescer = new AckCoalescer(channel, batch, deps.ackFlushMs);
  }

  onMessage(msg: ConsumeMessage): void {
    this.waiting.push(this.coalescer.track(msg));
    this.reg.pump();
  }

  next(): Tracked | undefined {
    if (this.waitHead >= this.waiting.length) return undefined;
    const item = this.waiting[this.waitHead];
    // taken: the slot lets go of the message (the same reason as in AckCoalescer.advance)
    this.waiting[this.waitHead++] = undefined;
    if (this.waitHead > 256 && this.waitHead * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.waitHead);
      this.waitHead = 0;
    }
    return item;
  }

  /** Not started yet: left unacked, so the broker gives them back when the channel closes. */
  dropWaiting(): void {
    this.waiting = [];
    this.waitHead = 0;
  }

  settle(t: Tracked, s: Settlement): void {
    try {
      this.coalescer.settle(t, s);
    } catch {
      // the channel closed between the check and the write: the broker redelivers
    }
  }
}

/** A desired consumer: lives across reconnects until `cancel()`. */
export class ConsumerRegistration implements Consumer {
  private session: Session | undefined;
  private running = 0;
  private pumping = false;
  private cancelled = false;
  private idleWaiters: Array<() => void> = [];
  private retries = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private starting: { connection: ChannelModel; promise: Promise<void> } | undefined;

  constructor(
    readonly queue: string,
    readonly options: ConsumeOptions,
    private readonly handler: DeliveryCallback,
    private readonly deps: ConsumerDeps,
  ) {}

  get isConsuming(): boolean {
    return this.session?.consumerTag !== undefined;
  }

  /** Opens a channel on `connection` and starts consuming. Rejects UNKNOWN_QUEUE on a 404. */
  start(connection: ChannelModel): Promise<void> {
    if (this.cancelled) return Promise.resolve();
    if (this.session?.connection === connection && this.session.consumerTag !== undefined) return Promise.resolve();
    // a reconnect's set-up and a consume() call may race: one broker consumer per registration
    if (this.starting?.connection === connection) return this.starting.promise;
    const promise = this.open(connection).finally(() => {
      if (this.starting?.promise === promise) this.starting = undefined;
    });
    this.starting = { connection, promise };
    return promise;
  }

  /** After a failed (re)start: try again with capped exponential backoff while connected. */
  retryLater(): void {
    this.scheduleRetry();
  }

  private async open(connection: ChannelModel): Promise<void> {
    this.stopSession();
    const channel = await connection.createChannel();
    let closeError: unknown;
    channel.on('error', (err: unknown) => {
      closeError = err;
    });
    const session = new Session(channel, connection, this, this.deps);
    this.session = session;
    channel.on('close', () => this.onChannelClose(session, closeError));
    try {
      await channel.prefetch(this.options.prefetch, false);
      const ok = await channel.consume(
        this.queue,
        (msg) => {
          if (msg) session.onMessage(msg);
          else this.onBrokerCancel(session);
        },
        { noAck: false },
      );
      session.consumerTag = ok.consumerTag;
      this.retries = 0;
      if (this.cancelled || this.session !== session) {
        // cancel() (or a newer start) ran while basic.consume was on the wire
        if (this.session === session) this.session = undefined;
        session.coalescer.kill();
        closeQuietly(channel);
      }
    } catch (err) {
      if (this.session === session) this.session = undefined;
      closeQuietly(channel);
      throw replyCode(err) === NOT_FOUND ? unknownQueue(this.queue, err) : err;
    }
  }

  /** Stop new deliveries, let running handlers finish up to the deadline, flush acks, close. */
  async cancel(deadlineMs?: number): Promise<void> {
    if (this.cancelled) return;
    this.cancelled = true;
    this.deps.forget(this);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const session = this.session;
    if (!session) return;
    if (session.consumerTag !== undefined) {
      await session.channel.cancel(session.consumerTag).catch(() => {});
    }
    session.dropWaiting();
    await this.whenIdle(deadlineMs);
    if (this.session === session) {
      session.coalescer.flush();
      this.session = undefined;
      session.coalescer.kill();
      await session.channel.close().catch(() => {});
    }
  }

  /** The connection is gone: amqplib closes the channel; the next connection starts a new session. */
  detach(): void {
    this.stopSession();
  }

  pump(): void {
    const session = this.session;
    // a delivery settled synchronously calls done() → pump() from inside this loop: the loop goes on
    if (!session || this.pumping) return;
    this.pumping = true;
    try {
      // 0 means unlimited, as basic.qos prefetch_count 0 does (the memory transport agrees)
      const limit = this.options.concurrency > 0 ? this.options.concurrency : Infinity;
      while (this.running < limit && this.session === session) {
        const t = session.next();
        if (!t) return;
        this.running++;
        this.run(session, t);
      }
    } finally {
      this.pumping = false;
    }
  }

  private run(session: Session, t: Tracked): void {
    let delivery;
    try {
      delivery = fromMessage(t.msg, this.queue);
    } catch (err) {
      return this.done(session, t, 'reject', err);
    }
    let result: Settlement | Promise<Settlement>;
    try {
      result = this.handler(delivery);
    } catch (err) {
      return this.done(session, t, 'requeue', err);
    }
    if (typeof result === 'string') return this.done(session, t, result);
    result.then(
      (s) => this.done(session, t, s),
      (err: unknown) => this.done(session, t, 'requeue', err),
    );
  }

  private done(session: Session, t: Tracked, s: Settlement, err?: unknown): void {
    if (err !== undefined) this.deps.logger?.error({ err, queue: this.queue }, 'delivery handler threw; the message is requeued');
    this.running--;
    session.settle(t, s);
    if (this.running === 0 && this.idleWaiters.length > 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
    if (!this.cancelled) this.pump();
  }

  private whenIdle(timeoutMs: number | undefined): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, Math.max(0, timeoutMs));
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private stopSession(): void {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    session.coalescer.kill();
    session.dropWaiting();
    closeQuietly(session.channel);
  }

  private onChannelClose(session: Session, err: unknown): void {
    session.coalescer.kill();
    session.dropWaiting();
    if (this.session !== session) return;
    this.session = undefined;
    if (this.cancelled || err === undefined) return; // connection loss: restarted on reconnect
    this.deps.logger?.warn({ err, queue: this.queue }, 'consumer channel closed by the broker; reopening');
    this.scheduleRetry();
  }

  /** RabbitMQ cancels a consumer whose queue was deleted (basic.cancel): keep trying. */
  private onBrokerCancel(session: Session): void {
    if (this.session !== session || this.cancelled) return;
    this.deps.logger?.warn({ queue: this.queue }, 'the broker cancelled the consumer (queue deleted?); retrying');
    this.stopSession();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.cancelled) return;
    const delay = Math.min(30_000, 100 * 2 ** this.retries++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const connection = this.deps.currentConnection();
      if (!connection || this.cancelled) return;
      this.start(connection).catch((err: unknown) => {
        this.deps.logger?.warn({ err, queue: this.queue }, 'could not restart the consumer');
        this.scheduleRetry();
      });
    }, delay);
    this.retryTimer.unref();
  }
}
