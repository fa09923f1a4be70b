import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import { ErrorCodes, StokcerdasError, isStokcerdasError } from '../../errors.ts';
import type { OutgoingMessage } from '../contract.ts';
import { NOT_FOUND, notFoundTarget, replyCode, transportClosed, unknownExchange } from './broker-errors.ts';
import { toPublishOptions } from './properties.ts';
import { Unconfirmed } from './unconfirmed.ts';
import { closeQuietly, type TopologyRegistry } from './topology.ts';

interface Pending {
  message: OutgoingMessage;
  resolve(): void;
  reject(err: unknown): void;
  /** the channel it was sent on and awaits a confirm from; unset once confirmed or failed over */
  awaiting?: ChannelState;
  /** how often the broker nacked it so far */
  nacks?: number;
}

interface ChannelState {
  channel: ConfirmChannel;
  connection: ChannelModel;
  /** the error the broker closed the channel with (set before amqplib fails the unconfirmed) */
  error?: unknown;
  /** nacks since the last ack on this channel */
  nackRun: number;
  pending: Unconfirmed<ChannelState, Pending>;
}

/** Nacks in a row (no ack between) after which the channel is taken for dead and reopened. */
const NACK_RUN_DEAD_CHANNEL = 3;
/** A message nacked this often is refused to the caller (PUBLISH_FAILED) instead of sent again. */
const MAX_NACK_RESENDS = 10;

export interface PublisherDeps {
  bufferSize: number;
  registry: TopologyRegistry;
  logger?: Logger;
  /** resolves if the exchange exists; rejects UNKNOWN_EXCHANGE if the broker says 404 */
  checkExchange(name: string): Promise<void>;
}

/**
 * One confirm channel for all publishes. amqp-connection-manager's ChannelWrapper is not used
 * here: its buffer is unbounded and a channel the broker closes (404 on a missing exchange) is
 * only recreated on the next *connection* (jwalton/node-amqp-connection-manager#347).
 */
export class Publisher {
  private state?: ChannelState;
  private buffer: Pending[] = [];
  private inflight = 0;
  private closed = false;
  private readonly verified = new Set<string>();
  private readonly checks = new Map<string, Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private reopenFailures = 0;

  constructor(private readonly deps: PublisherDeps) {}

  get bufferedPublishes(): number {
    return this.buffer.length;
  }

  get ready(): boolean {
    return this.state !== undefined;
  }

  /** Opens the confirm channel on a (new) connection and sends everything buffered, in order. */
  async attach(connection: ChannelModel): Promise<void> {
    if (this.closed) return;
    const channel = await connection.createConfirmChannel();
    if (this.closed || this.state) {
      // another attach (a reconnect racing a channel reopen) won
      await channel.close().catch(() => {});
      return;
    }
    const state = { channel, connection, nackRun: 0 } as ChannelState;
    state.pending = new Unconfirmed(state);
    channel.on('error', (err: unknown) => {
      state.error = err;
      this.deps.logger?.warn({ err }, 'amqp publisher channel closed by the broker');
    });
    channel.on('close', () => this.onChannelClose(state));
    this.state = state;
    this.deps.logger?.debug({ buffered: this.buffer.length }, 'publisher channel open');
    const queued = this.buffer;
    this.buffer = [];
    for (const p of queued) this.send(p);
  }

  /** The connection is gone: the channel close handler has already re-buffered every unconfirmed publish. */
  detach(): void {
    this.state = undefined;
  }

  publish(message: OutgoingMessage): Promise<void> {
    const refused = this.refuse(1);
    if (refused) return Promise.reject(refused);
    return new Promise<void>((resolve, reject) => {
      this.route({ message, resolve, reject });
    });
  }

  /** All or nothing against the buffer bound, then one wait for the batch's confirms. */
  async publishBatch(messages: OutgoingMessage[]): Promise<void> {
    const refused = this.refuse(messages.length);
    if (refused) throw refused;
    await Promise.all(
      messages.map(
        (message) =>
          new Promise<void>((resolve, reject) => {
            this.route({ message, resolve, reject });
          }),
      ),
    );
  }

  /** Resolves once nothing is buffered or awaiting a confirm (or after `timeoutMs`). */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Waits for outstanding confirms (if connected), fails what is left, closes the channel. */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    if (this.state) await this.whenIdle(timeoutMs);
    const left = this.buffer;
    this.buffer = [];
    for (const p of left) p.reject(transportClosed(`publish to "${p.message.exchange}" (it was buffered while disconnected)`));
    const state = this.state;
    this.state = undefined;
    if (state) await state.channel.close().catch(() => {});
  }

  private refuse(count: number): StokcerdasError | undefined {
    if (this.closed) return transportClosed('publish');
    if (this.state || this.buffer.length + count <= this.deps.bufferSize) return undefined;
    return new StokcerdasError(
      ErrorCodes.PUBLISH_BUFFER_FULL,
      `the broker is unreachable and ${this.buffer.length} publishes are already buffered (publishBufferSize ` +
        `${this.deps.bufferSize}): refusing ${count === 1 ? 'this publish' : `a batch of ${count}`} instead of ` +
        `dropping anything. Retry once the broker is back, or raise broker.publishBufferSize.`,
      { buffered: this.buffer.length, bufferSize: this.deps.bufferSize },
    );
  }

  private route(p: Pending): void {
    const exchange = p.message.exchange;
    if (!this.state || this.deps.registry.hasExchange(exchange) || this.verified.has(exchange)) return this.dispatch(p);
    // first publish to an exchange the topology never declared: ask on a throwaway channel, so a
    // typo costs one 404 there instead of killing the confirm channel under everyone's publishes
    this.inflight++;
    this.checkOnce(exchange).then(
      () => {
        this.inflight--;
        this.dispatch(p);
      },
      (err: unknown) => {
        this.inflight--;
        if (isStokcerdasError(err, ErrorCodes.UNKNOWN_EXCHANGE)) p.reject(err);
        else this.dispatch(p);
        this.notifyIfIdle();
      },
    );
  }

  private checkOnce(exchange: string): Promise<void> {
    let check = this.checks.get(exchange);
    if (!check) {
      check = this.deps.checkExchange(exchange).then(
        () => {
          this.verified.add(exchange);
          this.checks.delete(exchange);
        },
        (err: unknown) => {
          this.checks.delete(exchange);
          throw err;
        },
      );
      this.checks.set(exchange, check);
    }
    return check;
  }

  private dispatch(p: Pending): void {
    if (this.state) this.send(p);
    else this.hold(p);
  }

  private send(p: Pending): void {
    const state = this.state;
    if (!state) return this.hold(p);
    this.inflight++;
    state.pending.add(p);
    const { exchange, routingKey, body, properties } = p.message;
    try {
      // built per send, not kept: up to a publish window of these would otherwise wait for confirms
      state.channel.publish(exchange, routingKey, body, toPublishOptions(properties), (err: unknown) => {
        if (!state.pending.take(p)) return; // already failed over by onChannelClose
        this.inflight--;
        if (!err) {
          this.reopenFailures = 0;
          state.nackRun = 0;
          p.resolve();
        } else {
          this.onFailed(p, state, err);
        }
        this.notifyIfIdle();
      });
    } catch (err) {
      // amqplib throws synchronously once the channel is closing: try again on the next one
      state.pending.take(p);
      this.inflight--;
      this.hold(p);
      this.deps.logger?.debug({ err }, 'publish on a closing channel re-buffered');
    }
  }

  private onFailed(p: Pending, state: ChannelState, err: unknown): void {
    if (err instanceof Error && err.message === 'message nacked') {
      if (this.resendNacked(p, state)) return;
      p.reject(
        new StokcerdasError(
          ErrorCodes.PUBLISH_FAILED,
          `the broker refused (nack) the message to exchange "${p.message.exchange}" with routing key ` +
            `"${p.message.routingKey}": the queue may be full (x-overflow reject-publish) or the broker failed to store it`,
          { exchange: p.message.exchange, routingKey: p.message.routingKey },
          { cause: err },
        ),
      );
      return;
    }
    const target = replyCode(state.error) === NOT_FOUND ? notFoundTarget(state.error) : undefined;
    if (target?.kind === 'exchange' && target.name === p.message.exchange) {
      this.verified.delete(target.name);
      this.deps.registry.forgetExchange(target.name);
      p.reject(unknownExchange(target.name, state.error));
      return;
    }
    // the channel died under it (connection lost, or another message's 404): the broker may or
    // may not have routed it, so it is sent again (at least once; the dedupe store absorbs the copy)
    this.hold(p);
  }

  /**
   * A nack says the broker did not store the message, so sending it again is safe. On RabbitMQ
   * 3.10 a confirm channel whose quorum-queue leader was lost can nack everything for many seconds
   * while a new channel on the same connection is acked: after a run of nacks with no ack between,
   * the channel is closed and reopened, and the nacked messages go out on the new one.
   */
  private resendNacked(p: Pending, state: ChannelState): boolean {
    p.nacks = (p.nacks ?? 0) + 1;
    if (this.closed || p.nacks > MAX_NACK_RESENDS) return false;
    if (this.state === state && ++state.nackRun >= NACK_RUN_DEAD_CHANNEL) {
      if (state.nackRun === NACK_RUN_DEAD_CHANNEL) {
        this.deps.logger?.warn({ nacks: state.nackRun }, 'the broker nacked a run of publishes: reopening the publisher channel');
        // an error makes the close handler reopen the channel on the same connection
        state.error = new Error(`${NACK_RUN_DEAD_CHANNEL} nacks in a row`);
        closeQuietly(state.channel);
      }
      this.hold(p); // sent on the new channel
      return true;
    }
    // a lone nack, or one from a channel already replaced: out again on the current channel
    this.dispatch(p);
    return true;
  }

  /** Keep it for the next channel, unless the transport is closing (close() drained the buffer). */
  private hold(p: Pending): void {
    if (this.closed) p.reject(transportClosed(`publish to "${p.message.exchange}" (unconfirmed when the transport closed)`));
    else this.buffer.push(p);
  }

  private onChannelClose(state: ChannelState): void {
    // amqplib 0.10.9 fails the unconfirmed on close with `while (cb = unconfirmed.shift())`, which
    // stops at the first slot already confirmed out of order (null): the callbacks after it never
    // run and their publishes would hang forever (amqp-node/amqplib#191, fixed upstream in #846)
    const orphans = state.pending.drain();
    for (const p of orphans) {
      this.inflight--;
      this.onFailed(p, state, new Error('channel closed'));
    }
    this.deps.logger?.debug({ current: this.state === state, error: state.error !== undefined, orphans: orphans.length }, 'publisher channel closed');
    this.notifyIfIdle();
    if (this.state !== state) return;
    this.state = undefined;
    if (this.closed || state.error === undefined) return; // connection loss: the transport re-attaches
    // closed by a channel error while the connection lives on: reopen at once (with a short backoff)
    const delay = Math.min(5_000, 50 * 2 ** this.reopenFailures++);
    setTimeout(() => {
      if (this.closed || this.state) return;
      this.attach(state.connection).catch((err: unknown) => {
        this.deps.logger?.warn({ err }, 'could not reopen the publisher channel; waiting for the next connection');
      });
    }, delay).unref();
  }

  private isIdle(): boolean {
    return this.inflight === 0 && (this.buffer.length === 0 || !this.state);
  }

  private notifyIfIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
