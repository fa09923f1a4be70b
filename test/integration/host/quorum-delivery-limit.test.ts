import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTopology } from '../../../runtime/topology/build.ts';
import { createAmqpTransport, type AmqpTransport } from '../../../runtime/transport/amqp/index.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

/** x-delivery-limit on quorum work queues: a message that never gets a verdict stops looping and lands in the DLQ. */
const prefix = uniquePrefix('delivery-limit');
let url: string;
let transport: AmqpTransport;
const queue = `${prefix}.probe.work`;

beforeAll(async () => {
  url = await getBrokerUrl();
  transport = createAmqpTransport({ url, reconnect: { initialDelayMs: 200, maxDelayMs: 1000 }, publishBufferSize: 100 });
  await transport.connect();
  const retry = { maxAttempts: 1, delayMs: 0, multiplier: 1, maxDelayMs: 0 };
  await transport.assertTopology(buildTopology([{ exchange: 'inventory.events', routingKeys: ['probe.#'], queue: 'probe.work', retry }], { prefix, queueType: 'quorum', deliveryLimit: 2 }));
});

afterAll(async () => {
  await transport?.close();
  await deleteByPrefix(url, prefix);
});

describe('quorum delivery limit (real broker)', () => {
  it('dead-letters a message requeued past the limit, at least once, into its DLQ', async () => {
    let deliveries = 0;
    const consumer = await transport.consume(queue, { prefetch: 1, concurrency: 1 }, () => {
      deliveries++;
      return 'requeue' as const;
    });
    await transport.publish({ exchange: '', routingKey: queue, body: Buffer.from('{}'), properties: { messageId: 'loop-1' } });
    await waitFor(async () => (await transport.queueInfo(`${queue}.dlq`)).messages === 1, 15_000, 'the looping message in the DLQ');
    await consumer.cancel(1000);
    // limit 2: the first delivery and two redeliveries, then the broker dead-letters it
    expect(deliveries).toBe(3);
    expect((await transport.queueInfo(queue)).messages).toBe(0);
    const got = await transport.get(`${queue}.dlq`);
    expect(got?.delivery.properties.messageId).toBe('loop-1');
    expect(JSON.stringify(got?.delivery.properties.headers?.['x-death'])).toContain('delivery_limit');
    await got?.settle('ack');
  });
});
