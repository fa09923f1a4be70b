/**
 * Moleculer 0.14 with @moleculer/channels and its AMQP adapter, configured as its users do: a
 * ServiceBroker with no transporter and the Channels middleware, a service with one channel
 * handler, `broker.sendToChannel`. Same job as the others: the CloudEvent object serialised to JSON
 * by the adapter, persistent, a durable queue (the adapter's fanout exchange per channel) with
 * dead-lettering on (its dead-letter exchange and queue), prefetch = `maxInFlight` (0.1.8 sets the
 * channel's prefetch from it), an ack per message after the handler.
 *
 * The adapter publishes on a plain channel and never waits for a confirm: `sendToChannel` resolves
 * once amqplib has taken the message, so the window bounds nothing the broker has to answer. When
 * amqplib's write buffer is full the adapter throws "Write buffer is full" although amqplib did
 * take the message; the benchmark counts it as sent and waits for the channel's `drain` before
 * freeing its window slot (a caller retrying instead would send duplicates).
 */
import type { EventEmitter } from 'node:events';
import channels from '@moleculer/channels';
import moleculer from 'moleculer';
import { cloudEvent, measureWarm, sendWindowed, seqOf, type BenchCloudEvent, type LoopResult, type LoopSettings } from '../measure.ts';
import type { DeclaredNames, Side } from './contract.ts';

/** what the Channels middleware adds to the broker */
interface ChannelsBroker {
  sendToChannel(channelName: string, payload: unknown, opts?: Record<string, unknown>): Promise<void>;
  channelAdapter: { channel: EventEmitter | null };
}

function names(prefix: string) {
  const channel = `${prefix}.stock`; // the adapter prefixes channel names with its `prefix`
  const group = `${prefix}.bench`;
  return { channel, group, queue: `${group}.${channel}`, dlx: `${prefix}.dlx`, dlq: `${prefix}.dlq` };
}

/**
 * The Channels middleware with the AMQP adapter. The package's types are generated from its JSDoc
 * and mark every option required (and its middleware's `name` clashes with moleculer's Middleware
 * type): the options are those its README documents, hence the casts.
 */
function channelsMiddleware(prefix: string, s: LoopSettings): moleculer.Middleware {
  const options = {
    adapter: {
      type: 'AMQP',
      options: {
        prefix,
        maxInFlight: s.prefetch,
        deadLettering: { enabled: true, queueName: 'dlq', exchangeName: 'dlx' },
        amqp: { url: s.url, queueOptions: { durable: true }, exchangeOptions: { durable: true }, messageOptions: { persistent: true } },
      },
    },
  };
  return channels.Middleware(options as unknown as Parameters<typeof channels.Middleware>[0]) as unknown as moleculer.Middleware;
}

async function runMoleculer(s: LoopSettings, prefix: string): Promise<LoopResult> {
  const n = names(prefix);
  const broker = new moleculer.ServiceBroker({
    nodeID: prefix,
    transporter: null,
    logger: false,
    middlewares: [channelsMiddleware(prefix, s)],
  });
  let handled: (i: number) => void = () => {};
  broker.createService({
    name: 'bench',
    channels: {
      stock: {
        group: n.group,
        handler(payload: BenchCloudEvent) {
          handled(seqOf(payload));
        },
      },
    },
  } as moleculer.ServiceSchema);
  await broker.start();
  const chan = broker as unknown as ChannelsBroker;
  try {
    // sends taken while amqplib's buffer was full: their window slots free on the next `drain`
    let waiting: (() => void)[] = [];
    const drained = () => {
      const slots = waiting;
      waiting = [];
      for (const free of slots) free();
    };
    return await measureWarm(s, async (sentAt, onHandled) => {
      handled = onHandled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        chan.sendToChannel('stock', cloudEvent(i, s.bodyBytes)).then(confirmed, (err: Error) => {
          const channel = chan.channelAdapter.channel;
          if (!/Write buffer is full/.test(err.message) || !channel) {
            console.error('moleculer publish', err);
            process.exit(1);
          }
          if (waiting.push(confirmed) === 1) channel.once('drain', drained);
        });
      });
    });
  } finally {
    await broker.stop();
  }
}

export const moleculerSide: Side = {
  run: (s, prefix) => runMoleculer(s, prefix),
  declared(prefix): DeclaredNames {
    const n = names(prefix);
    return { queues: [n.queue, n.dlq], exchanges: [n.channel, n.dlx] };
  },
};
