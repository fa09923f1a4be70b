import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../runtime/errors.ts';
import { createAmqpTransport, type AmqpTransport } from '../../../runtime/transport/amqp/index.ts';
import type { Delivery, Settlement } from '../../../runtime/transport/contract.ts';
import { closeConnectionNamed, deleteByPrefix, getBrokerUrl, rabbitmqctl, uniquePrefix, waitFor } from '../../support/broker.ts';

const prefix = uniquePrefix('amqp-consume');
const dlx = `${prefix}.dlx`;
const names: string[] = [];
let url: string;
let transport: AmqpTransport;

/** A fresh queue (dead-lettering to `<queue>.dlq`) per test. */
async function freshQueue(label: string): Promise<{ queue: string; dlq: string }> {
  const queue = `${prefix}.${label}`;
  const dlq = `${queue}.dlq`;
  names.push(queue, dlq);
  await transport.assertTopology({
    exchanges: [{ name: dlx, type: 'direct' }],
    queues: [{ name: queue, deadLetterExchange: dlx, deadLetterRoutingKey: dlq }, { name: dlq }],
    routes: [{ exchange: dlx, queue: dlq, routingKey: dlq }],
  });
  return { queue, dlq };
}

const fill = (queue: string, n: number) =>
  transport.publishBatch(Array.from({ length: n }, (_, i) => ({ exchange: '', routingKey: queue, body: Buffer.from(String(i)), properties: {} })));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** messages_unacknowledged as the broker counts it (queueInfo cannot see it over AMQP). */
async function unacked(queue: string): Promise<number | undefined> {
  const out = await rabbitmqctl('-q', 'list_queues', 'name', 'messages_unacknowledged').catch(() => undefined);
  const line = out?.split('\n').find((l) => l.startsWith(`${queue}\t`));
  return line === undefined ? undefined : Number(line.split('\t')[1]);
}

beforeAll(async () => {
  url = await getBrokerUrl();
  transport = createAmqpTransport({ url, reconnect: { initialDelayMs: 100, maxDelayMs: 1000 }, publishBufferSize: 10_000, connectionName: prefix });
  await transport.connect();
});

afterAll(async () => {
  await transport?.close();
  await deleteByPrefix(url, prefix, { queues: names, exchanges: [dlx] });
});

describe('amqp transport: consuming (real broker)', () => {
  it('settles deliveries whose handler answers synchronously, rejects included, within the concurrency limit', async () => {
    const { queue, dlq } = await freshQueue('sync');
    await fill(queue, 1000);
    let handled = 0;
    let running = 0;
    let maxRunning = 0;
    const consumer = await transport.consume(queue, { prefetch: 100, concurrency: 8 }, (d: Delivery): Settlement => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      handled++;
      running--;
      return Number(d.body.toString()) % 100 === 0 ? 'reject' : 'ack';
    });
    await waitFor(() => handled === 1000);
    await waitFor(async () => ((await unacked(queue)) ?? -1) === 0, 5000, 'unacked = 0');
    await waitFor(async () => (await transport.queueInfo(dlq)).messages === 10, 5000, '10 rejected in the DLQ');
    expect(maxRunning).toBe(1); // settled before the next one starts: the pump loop, not recursion
    expect((await transport.queueInfo(queue)).messages).toBe(0);
    await consumer.cancel();
  });

  it('coalesced acks leave nothing unacked once a run is handled', async () => {
    const { queue } = await freshQueue('coalesce');
    await fill(queue, 1000);
    let handled = 0;
    const consumer = await transport.consume(queue, { prefetch: 200, concurrency: 16 }, async () => {
      handled++;
      return 'ack';
    });
    await waitFor(() => handled === 1000);
    // the idle flush timer sends the tail of the run while the consumer still runs
    await waitFor(async () => (await unacked(queue)) !== 1000 && ((await unacked(queue)) ?? 0) === 0, 5000, 'unacked = 0');
    await consumer.cancel(1000);
    expect(await transport.queueInfo(queue)).toMatchObject({ messages: 0, consumers: 0 });
  });

  it('settles a mix of acks, rejects and requeues out of order without an unknown-tag channel error', async () => {
    const { queue, dlq } = await freshQueue('mixed');
    await fill(queue, 600);
    const outcome = new Map<string, Settlement>();
    let requeued = 0;
    let deliveries = 0;
    const consumer = await transport.consume(queue, { prefetch: 50, concurrency: 10 }, async (d: Delivery) => {
      deliveries++;
      const n = Number(d.body.toString());
      await sleep(Math.random() * 5);
      if (n % 7 === 0) return outcome.set(String(n), 'reject'), 'reject';
      if (n % 11 === 0 && !d.redelivered) return requeued++, 'requeue';
      outcome.set(String(n), 'ack');
      return 'ack';
    });
    await waitFor(() => outcome.size === 600, 20_000, 'every message settled');
    await consumer.cancel(1000);
    const rejected = [...outcome.values()].filter((s) => s === 'reject').length;
    expect(requeued).toBeGreaterThan(0);
    // a channel closed by a bad ack would have redelivered its unacked window a second time
    expect(deliveries).toBe(600 + requeued);
    await waitFor(async () => (await transport.queueInfo(dlq)).messages === rejected);
    expect((await transport.queueInfo(queue)).messages).toBe(0);
    expect(transport.status().reconnects).toBe(0);
  });

  it('never runs more than `concurrency` handlers at once', async () => {
    const { queue } = await freshQueue('concurrency');
    await fill(queue, 60);
    let running = 0;
    let peak = 0;
    let done = 0;
    const consumer = await transport.consume(queue, { prefetch: 30, concurrency: 3 }, async () => {
      peak = Math.max(peak, ++running);
      await sleep(5);
      running--;
      done++;
      return 'ack';
    });
    await waitFor(() => done === 60);
    await consumer.cancel(1000);
    expect(peak).toBe(3);
  });

  it('cancel waits for in-flight deliveries; what was only prefetched goes back to the queue', async () => {
    const { queue } = await freshQueue('cancel');
    await fill(queue, 20);
    let started = 0;
    let finished = 0;
    const consumer = await transport.consume(queue, { prefetch: 20, concurrency: 2 }, async () => {
      started++;
      await sleep(300);
      finished++;
      return 'ack';
    });
    await waitFor(() => started === 2);
    await consumer.cancel(5000);
    expect(finished).toBe(2);
    expect(started).toBe(2);
    expect(await transport.queueInfo(queue)).toMatchObject({ messages: 18, consumers: 0 });
  });

  it('rejects consuming from a missing queue with UNKNOWN_QUEUE', async () => {
    await expect(transport.consume(`${prefix}.missing`, { prefetch: 1, concurrency: 1 }, async () => 'ack')).rejects.toMatchObject({
      code: ErrorCodes.UNKNOWN_QUEUE,
    });
  });

  it('drops settlements from a dead channel and gets the delivery again on the new consumer', async (ctx) => {
    const name = `${prefix}-dead-channel`;
    const t = createAmqpTransport({ url, reconnect: { initialDelayMs: 50, maxDelayMs: 200 }, publishBufferSize: 100, connectionName: name });
    await t.connect();
    try {
      const { queue } = await freshQueue('dead-channel');
      await fill(queue, 1);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const seen: Delivery[] = [];
      const consumer = await t.consume(queue, { prefetch: 5, concurrency: 5 }, async (d) => {
        seen.push(d);
        if (seen.length === 1) await held;
        return 'ack';
      });
      await waitFor(() => seen.length === 1);
      if ((await closeConnectionNamed(name).catch(() => 0)) === 0) ctx.skip();
      await waitFor(() => t.status().reconnects === 1 && seen.length === 2, 10_000, 'redelivery on the new consumer');
      release(); // settles on the dead channel: dropped, no crash, no PRECONDITION_FAILED on the new one
      await sleep(100);
      expect(seen[1].redelivered).toBe(true);
      expect(await t.queueInfo(queue)).toMatchObject({ consumers: 1 });
      await consumer.cancel(1000);
      expect(await t.queueInfo(queue)).toMatchObject({ messages: 0, consumers: 0 });
      expect(t.status()).toMatchObject({ connected: true, reconnects: 1 });
    } finally {
      await t.close();
    }
  });
});
