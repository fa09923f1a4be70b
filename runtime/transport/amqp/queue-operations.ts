import type { Channel, ChannelModel, GetMessage } from 'amqplib';
import type { Delivery, QueueInfo, Settlement } from '../contract.ts';
import { NOT_FOUND, replyCode, unknownExchange, unknownQueue } from './broker-errors.ts';
import { fromMessage } from './properties.ts';
import { closeQuietly, openThrowaway } from './topology.ts';

export type GetResult = { delivery: Delivery; settle(s: Settlement): Promise<void> } | null;

/**
 * basic.get, queue.declare(passive), queue.purge and exchange checks. A 404 on any of them closes
 * the channel it ran on, so inspections use throwaway channels; gets share one channel because a
 * fetched message must be settled on the channel that fetched it.
 */
export class QueueOperations {
  private getChannel: { channel: Channel; connection: ChannelModel } | undefined;

  async get(connection: ChannelModel, queue: string): Promise<GetResult> {
    let holder = this.getChannel;
    if (!holder || holder.connection !== connection) {
      const channel = await openThrowaway(connection);
      const created = { channel, connection };
      channel.on('close', () => {
        if (this.getChannel === created) this.getChannel = undefined;
      });
      this.getChannel = holder = created;
    }
    let msg: GetMessage | false;
    try {
      msg = await holder.channel.get(queue, { noAck: false });
    } catch (err) {
      throw replyCode(err) === NOT_FOUND ? unknownQueue(queue, err) : err;
    }
    if (!msg) return null;
    const got = msg;
    const from = holder;
    let settled = false;
    return {
      delivery: fromMessage(got, queue),
      settle: async (s) => {
        // only on the channel that fetched it; once that is gone the broker has requeued the message
        if (settled || this.getChannel !== from) return;
        settled = true;
        if (s === 'ack') from.channel.ack(got);
        else from.channel.reject(got, s === 'requeue');
      },
    };
  }

  /** `messages` is RabbitMQ's ready count: deliveries held unacked by consumers are not in it. */
  async queueInfo(connection: ChannelModel, queue: string): Promise<QueueInfo> {
    const ok = await onThrowaway(connection, (ch) => ch.checkQueue(queue), (err) => unknownQueue(queue, err));
    return { name: queue, messages: ok.messageCount, consumers: ok.consumerCount };
  }

  async purge(connection: ChannelModel, queue: string): Promise<number> {
    const ok = await onThrowaway(connection, (ch) => ch.purgeQueue(queue), (err) => unknownQueue(queue, err));
    return ok.messageCount;
  }

  async checkExchange(connection: ChannelModel, exchange: string): Promise<void> {
    await onThrowaway(connection, (ch) => ch.checkExchange(exchange), (err) => unknownExchange(exchange, err));
  }

  /** The connection is gone (or closing): the next get opens a new channel. */
  reset(): void {
    closeQuietly(this.getChannel?.channel);
    this.getChannel = undefined;
  }
}

async function onThrowaway<T>(connection: ChannelModel, fn: (ch: Channel) => Promise<T>, notFound: (err: unknown) => Error): Promise<T> {
  const channel = await openThrowaway(connection);
  try {
    return await fn(channel);
  } catch (err) {
    throw replyCode(err) === NOT_FOUND ? notFound(err) : err;
  } finally {
    closeQuietly(channel);
  }
}
