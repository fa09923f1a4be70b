/**
 * The runtime's AMQP transport alone (no host, no pipeline) against the same queue as
 * `rawPrebuilt`: one prebuilt buffer through the default exchange, confirms, its consumer's acks.
 * For information: it tells the transport's cost from the pipeline's.
 */
import { createAmqpTransport } from '../../../runtime/transport/amqp/index.ts';
import { body, measureWarm, sendWindowed, type LoopResult, type LoopSettings } from '../measure.ts';
import type { QueueKind, Side } from './contract.ts';

async function runTransport(s: LoopSettings, queue: string, queueType: QueueKind): Promise<LoopResult> {
  const transport = createAmqpTransport({ url: s.url, reconnect: { initialDelayMs: 200, maxDelayMs: 5_000 }, publishBufferSize: s.window * 2, connectionName: `bench-${queue}` });
  await transport.connect();
  try {
    await transport.assertTopology({ exchanges: [], queues: [{ name: queue, type: queueType }], routes: [] });
    const payload = body(s.bodyBytes);
    let handled: (i: number) => void = () => {};
    await transport.consume(queue, { prefetch: s.prefetch, concurrency: s.prefetch }, async (d) => {
      handled(Number(d.properties.messageId));
      return 'ack';
    });
    return await measureWarm(s, async (sentAt, onHandled) => {
      handled = onHandled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        transport
          .publish({ exchange: '', routingKey: queue, body: payload, properties: { messageId: String(i), contentType: 'application/cloudevents+json' } })
          .then(confirmed, (err: unknown) => {
            console.error(err);
            process.exit(1);
          });
      });
    });
  } finally {
    await transport.close();
  }
}

export const transport: Side = {
  run: (s, prefix, queueType) => runTransport(s, `${prefix}.q`, queueType),
  declared: (prefix) => ({ queues: [`${prefix}.q`], exchanges: [] }),
};
