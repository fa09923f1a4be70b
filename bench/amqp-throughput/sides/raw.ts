/**
 * Raw amqplib sides. `rawPrebuilt`: one prebuilt buffer through the default exchange, an ack per
 * message, never read (the cheapest thing a broker and a client can do; for information).
 * `rawSameJob`: what the runtime asks of the broker — a durable topic exchange, a durable queue with
 * a dead-letter exchange and its dead-letter queue, the AMQP properties of docs/wire-format.md — and
 * the least any client of a JSON wire format does: a CloudEvent built, `JSON.stringify`d and sent
 * on a confirm channel within the window, `JSON.parse`d on delivery, acked. With `coalesced` it acks
 * `multiple` once per 50 deliveries, as the runtime's consumer does: the like-for-like client.
 *
 * Knobs that give raw amqplib one of the runtime's transport choices at a time, to price each:
 * BENCH_RAW_NODELAY=1 (TCP_NODELAY), BENCH_RAW_CORK=1 (socket writes batched per multiplexer loop),
 * BENCH_RAW_TWOCONN=1 (publish and consume on two connections, so credit flow on the publishing
 * one never holds back the acks).
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { body, cloudEvent, measureWarm, sendWindowed, seqOf, type BenchCloudEvent, type LoopResult, type LoopSettings } from '../measure.ts';
import type { DeclaredNames, QueueKind, Side } from './contract.ts';

/** `default`: straight to the queue through the default exchange; `topic`: the runtime's route (above). */
export type RawRoute = 'default' | 'topic';

export interface RawOptions {
  /** ack `multiple` once per 50 deliveries, as the runtime's consumer does */
  coalesced?: boolean;
  route?: RawRoute;
  /** a CloudEvent built and serialised per message and parsed on delivery, instead of one prebuilt buffer never read */
  json?: boolean;
  queueType?: QueueKind;
}

/** quorum: the arguments the runtime gives its quorum work queues (runtime/topology/build.ts) */
const quorumArguments = { 'x-queue-type': 'quorum', 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish', 'x-delivery-limit': 20 };

export async function runRaw(s: LoopSettings, queue: string, { coalesced = false, route = 'default', json = false, queueType = 'classic' }: RawOptions = {}): Promise<LoopResult> {
  const conn = await amqp.connect(s.url, process.env.BENCH_RAW_NODELAY === '1' ? { noDelay: true } : {});
  if (process.env.BENCH_RAW_CORK === '1') corkWrites(conn);
  const subConn = process.env.BENCH_RAW_TWOCONN === '1' ? await amqp.connect(s.url) : conn;
  const exchange = route === 'topic' ? `${queue}.events` : '';
  const dlx = `${queue}.dlx`;
  const dlq = `${queue}.dlq`;
  const routingKey = route === 'topic' ? 'inventory.stock.level.changed' : queue;
  try {
    const admin = await conn.createChannel();
    const quorum = queueType === 'quorum' ? { 'x-queue-type': 'quorum' } : {};
    if (route === 'topic') {
      await admin.assertExchange(exchange, 'topic', { durable: true });
      await admin.assertExchange(dlx, 'direct', { durable: true });
      await admin.assertQueue(dlq, { durable: true, arguments: quorum });
      await admin.bindQueue(dlq, dlx, queue);
      const dead = { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': queue };
      await admin.assertQueue(queue, { durable: true, arguments: queueType === 'quorum' ? { ...quorumArguments, ...dead } : dead });
      await admin.bindQueue(queue, exchange, routingKey);
    } else {
      await admin.assertQueue(queue, { durable: true, arguments: quorum });
    }
    const pub = await conn.createConfirmChannel();
    const sub = await subConn.createChannel();
    // per consumer (amqplib's default): a global qos is refused on a quorum queue
    await sub.prefetch(s.prefetch);
    const payload = body(s.bodyBytes);
    let handled: (i: number) => void = () => {};
    let unacked = 0;
    let tail: NodeJS.Timeout | undefined;
    let last: amqp.ConsumeMessage | undefined;
    await sub.consume(queue, (msg) => {
      if (!msg) return;
      handled(json ? seqOf(JSON.parse(msg.content.toString('utf8')) as BenchCloudEvent) : Number(msg.properties.messageId));
      if (!coalesced) return sub.ack(msg);
      last = msg;
      if (++unacked >= 50) {
        sub.ack(msg, true);
        unacked = 0;
        return;
      }
      // a coalescing client still acks the tail of a run, a moment later
      tail ??= setTimeout(() => {
        tail = undefined;
        if (unacked === 0 || !last) return;
        unacked = 0;
        try {
          sub.ack(last, true);
        } catch {
          // closed after the run: the queue is deleted anyway
        }
      }, 10);
    });
    return await measureWarm(s, async (sentAt, onHandled) => {
      handled = onHandled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        const options: amqp.Options.Publish = { persistent: true, messageId: String(i), contentType: 'application/cloudevents+json' };
        if (route === 'topic') {
          options.type = routingKey;
          options.timestamp = Math.floor(Date.now() / 1000);
          options.correlationId = randomUUID();
          options.priority = 5;
          options.expiration = '1800000';
          options.appId = 'bench';
        }
        const content = json ? Buffer.from(JSON.stringify(cloudEvent(i, s.bodyBytes))) : payload;
        pub.publish(exchange, routingKey, content, options, (err) => {
          if (err) throw err;
          confirmed();
        });
      });
    });
  } finally {
    await conn.close().catch(() => {});
    if (subConn !== conn) await subConn.close().catch(() => {});
  }
}

/** amqplib writes each frame with its own socket.write; corked per multiplexer loop they leave as one writev */
function corkWrites(conn: amqp.ChannelModel): void {
  const mux = (conn as unknown as { connection: { muxer: { out: import('node:net').Socket; _readIncoming(): void } } }).connection.muxer;
  const read = mux._readIncoming;
  mux._readIncoming = function () {
    this.out.cork();
    try {
      read.call(this);
    } finally {
      this.out.uncork();
    }
  };
}

/** what runRaw declares under `queue`, for the clean-up */
export function rawNames(queue: string, route: RawRoute): DeclaredNames {
  return route === 'topic' ? { queues: [queue, `${queue}.dlq`], exchanges: [`${queue}.events`, `${queue}.dlx`] } : { queues: [queue], exchanges: [] };
}

function rawSide(options: RawOptions): Side {
  const route = options.route ?? 'default';
  return {
    run: (s, prefix, queueType) => runRaw(s, `${prefix}.q`, { ...options, queueType }),
    declared: (prefix) => rawNames(`${prefix}.q`, route),
  };
}

export const rawPrebuilt = rawSide({});
export const rawSameRoute = rawSide({ coalesced: true, route: 'topic' });
export const rawSameJob = rawSide({ route: 'topic', json: true });
export const rawSameJobCoalesced = rawSide({ coalesced: true, route: 'topic', json: true });
