import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../runtime/errors.ts';
import { createAmqpTransport, type AmqpTransport } from '../../../runtime/transport/amqp/index.ts';
import type { Delivery } from '../../../runtime/transport/contract.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

const prefix = uniquePrefix('amqp-publish');
const exchange = `${prefix}.events`;
const queue = `${prefix}.q`;
const dlx = `${prefix}.dlx`;
const dlq = `${prefix}.q.dlq`;
const full = `${prefix}.full`;
let url: string;
let transport: AmqpTransport;

function message(routingKey: string, body: unknown, properties = {}) {
  return { exchange, routingKey, body: Buffer.from(JSON.stringify(body)), properties };
}

beforeAll(async () => {
  url = await getBrokerUrl();
  transport = createAmqpTransport({ url, reconnect: { initialDelayMs: 100, maxDelayMs: 1000 }, publishBufferSize: 100, connectionName: prefix });
  await transport.connect();
  await transport.assertTopology({
    exchanges: [{ name: exchange, type: 'topic' }, { name: dlx, type: 'direct' }],
    queues: [{ name: queue, deadLetterExchange: dlx, deadLetterRoutingKey: dlq, maxPriority: 9 }, { name: dlq }],
    routes: [{ exchange, queue, routingKey: 'inventory.#' }, { exchange: dlx, queue: dlq, routingKey: dlq }],
  });
});

afterAll(async () => {
  await transport?.close();
  await deleteByPrefix(url, prefix, { queues: [queue, dlq, full], exchanges: [exchange, dlx, `${prefix}.gone`] });
});

describe('amqp transport: publishing (real broker)', () => {
  it('resolves publish on the broker confirm and the message is in the queue', async () => {
    await transport.purge(queue);
    await transport.publish(message('inventory.stock.level.changed', { sku: 'A' }));
    expect((await transport.queueInfo(queue)).messages).toBe(1);
  });

  it('carries every message property, persistent by default, expiration as ms', async () => {
    await transport.purge(queue);
    await transport.publish(
      message('inventory.x', { n: 1 }, {
        messageId: 'id-1', type: 'inventory.x', timestamp: 1_767_000_000, correlationId: 'corr', contentType: 'application/cloudevents+json',
        priority: 7, expiration: 60_000, appId: 'stokcerdas', headers: { tenantid: 't1', 'x-attempts': 2, ok: true },
      }),
    );
    const got = await transport.get(queue);
    expect(got).not.toBeNull();
    const d = got!.delivery;
    expect(d).toMatchObject({ exchange, routingKey: 'inventory.x', queue, redelivered: false });
    expect(d.properties).toMatchObject({
      messageId: 'id-1', type: 'inventory.x', timestamp: 1_767_000_000, correlationId: 'corr', contentType: 'application/cloudevents+json',
      priority: 7, expiration: 60_000, appId: 'stokcerdas', persistent: true, headers: { tenantid: 't1', 'x-attempts': 2, ok: true },
    });
    await got!.settle('ack');
    expect((await transport.queueInfo(queue)).messages).toBe(0);
  });

  it('sends persistent: false as a transient message', async () => {
    await transport.purge(queue);
    await transport.publish(message('inventory.y', {}, { persistent: false }));
    const got = await transport.get(queue);
    expect(got!.delivery.properties.persistent).toBe(false);
    await got!.settle('ack');
  });

  it('publishes a batch with one wait for all confirms', async () => {
    await transport.purge(queue);
    await transport.publishBatch(Array.from({ length: 250 }, (_, i) => message('inventory.batch', { i })));
    expect((await transport.queueInfo(queue)).messages).toBe(250);
    expect(await transport.purge(queue)).toBe(250);
  });

  it('rejects a publish to a missing exchange with UNKNOWN_EXCHANGE and keeps publishing', async () => {
    await expect(
      transport.publish({ exchange: `${prefix}.nope`, routingKey: 'k', body: Buffer.from('x'), properties: {} }),
    ).rejects.toMatchObject({ code: ErrorCodes.UNKNOWN_EXCHANGE, message: expect.stringContaining(`${prefix}.nope`) });
    await transport.purge(queue);
    await transport.publish(message('inventory.after', {}));
    expect((await transport.queueInfo(queue)).messages).toBe(1);
  });

  it('recovers the confirm channel when an exchange vanishes under it (404 closes the channel)', async () => {
    const gone = `${prefix}.gone`;
    await transport.assertTopology({ exchanges: [{ name: gone, type: 'fanout' }], queues: [], routes: [] });
    await transport.publish({ exchange: gone, routingKey: '', body: Buffer.from('1'), properties: {} });
    const conn = await amqp.connect(url);
    await (await conn.createChannel()).deleteExchange(gone);
    await conn.close();
    const inflight = Array.from({ length: 20 }, (_, i) => transport.publish(message('inventory.mixed', { i })));
    await expect(transport.publish({ exchange: gone, routingKey: '', body: Buffer.from('2'), properties: {} })).rejects.toMatchObject({
      code: ErrorCodes.UNKNOWN_EXCHANGE,
    });
    await Promise.all(inflight);
    await transport.publish(message('inventory.after-404', {}));
  });

  it('rejects with PUBLISH_FAILED when the broker nacks', async () => {
    const conn = await amqp.connect(url);
    const ch = await conn.createChannel();
    await ch.assertQueue(full, { durable: true, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } });
    await conn.close();
    await transport.publish({ exchange: '', routingKey: full, body: Buffer.from('1'), properties: {} });
    await expect(transport.publish({ exchange: '', routingKey: full, body: Buffer.from('2'), properties: {} })).rejects.toMatchObject({
      code: ErrorCodes.PUBLISH_FAILED,
    });
  });

  it('dead-letters a rejected delivery through the queue DLX', async () => {
    await transport.purge(queue);
    await transport.purge(dlq);
    await transport.publish(message('inventory.bad', { bad: true }, { messageId: 'm-bad' }));
    const seen: Delivery[] = [];
    const consumer = await transport.consume(queue, { prefetch: 10, concurrency: 1 }, async (d) => {
      seen.push(d);
      return 'reject';
    });
    await waitFor(async () => (await transport.queueInfo(dlq)).messages === 1);
    await consumer.cancel(1000);
    expect(seen.map((d) => d.properties.messageId)).toEqual(['m-bad']);
    const dead = await transport.get(dlq);
    expect(dead!.delivery.properties.headers?.['x-death']).toBeDefined();
    await dead!.settle('ack');
  });
});

