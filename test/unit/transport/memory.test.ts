import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../runtime/clock/index.ts';
import { ErrorCodes, isStokcerdasError } from '../../../runtime/errors.ts';
import type { Delivery, MessageProperties, QueueSpec, Settlement } from '../../../runtime/transport/contract.ts';
import { createMemoryTransport, type MemoryTransport } from '../../../runtime/transport/memory/index.ts';

const toQueue = (queue: string, body: string, properties: MessageProperties = {}) =>
  ({ exchange: '', routingKey: queue, body: Buffer.from(body), properties });

async function setup(queues: QueueSpec[]): Promise<{ transport: MemoryTransport; clock: VirtualClock; advance(ms: number): Promise<void> }> {
  const clock = new VirtualClock();
  const transport = createMemoryTransport({ clock });
  await transport.assertTopology({ exchanges: [], queues, routes: [] });
  return { transport, clock, advance: (ms) => clock.advance(ms, () => transport.whenIdle()) };
}

const peekBodies = (t: MemoryTransport, queue: string) => t.peek(queue).map((d) => d.body.toString());
const deaths = (d: Delivery) => d.properties.headers?.['x-death'] as Array<Record<string, unknown>>;

describe('memory transport on virtual time', () => {
  it('expires a wait queue only when the clock reaches the TTL', async () => {
    const { transport, clock, advance } = await setup([
      { name: 'work' },
      { name: 'wait', messageTtl: 1_000, deadLetterExchange: '', deadLetterRoutingKey: 'work' },
    ]);
    await transport.publish(toQueue('wait', 'later'));
    await advance(999);
    expect(peekBodies(transport, 'work')).toEqual([]);
    expect(peekBodies(transport, 'wait')).toEqual(['later']);
    await advance(1);
    const [back] = transport.peek('work');
    expect(back.body.toString()).toBe('later');
    expect(deaths(back)[0]).toEqual({
      count: 1, reason: 'expired', queue: 'wait', exchange: '', 'routing-keys': ['wait'], time: { '!': 'timestamp', value: Math.floor(clock.now() / 1000) },
    });
    expect(back.properties.headers).toMatchObject({ 'x-first-death-reason': 'expired', 'x-first-death-queue': 'wait' });
  });

  it('expires a message only at the head of its queue, so a short TTL waits behind a long one', async () => {
    const { transport, advance } = await setup([
      { name: 'out' },
      { name: 'hold', deadLetterExchange: '', deadLetterRoutingKey: 'out' },
    ]);
    await transport.publish(toQueue('hold', 'long', { expiration: 10_000 }));
    await transport.publish(toQueue('hold', 'short', { expiration: 1_000 }));
    await advance(5_000);
    expect(peekBodies(transport, 'out')).toEqual([]);
    await advance(5_000);
    expect(peekBodies(transport, 'out')).toEqual(['long', 'short']);
    expect(transport.peek('out')[0].properties).toEqual({ headers: expect.any(Object) });
  });

  it('arms expiry for the new head once the head is taken', async () => {
    const { transport, advance } = await setup([{ name: 'out' }, { name: 'hold', deadLetterExchange: '', deadLetterRoutingKey: 'out' }]);
    await transport.publish(toQueue('hold', 'long', { expiration: 60_000 }));
    await transport.publish(toQueue('hold', 'short', { expiration: 1_000 }));
    await (await transport.get('hold'))!.settle('ack');
    await advance(1_000);
    expect(peekBodies(transport, 'out')).toEqual(['short']);
  });

  it('expires messages waiting behind a busy consumer', async () => {
    const { transport, clock } = await setup([{ name: 'dlq' }, { name: 'q', messageTtl: 500, deadLetterExchange: '', deadLetterRoutingKey: 'dlq' }]);
    const held: Array<() => void> = [];
    await transport.consume('q', { prefetch: 1, concurrency: 1 }, () => new Promise<Settlement>((r) => held.push(() => r('ack'))));
    await transport.publish(toQueue('q', 'busy'));
    await transport.publish(toQueue('q', 'waiting'));
    await new Promise((r) => setImmediate(r));
    expect(held).toHaveLength(1);
    // whenIdle would wait for the held handler, so time moves without it here
    await clock.advance(500);
    expect(peekBodies(transport, 'dlq')).toEqual(['waiting']);
    held[0]();
    await transport.whenIdle();
    expect((await transport.queueInfo('q')).messages).toBe(0);
  });

  it('counts a second death in the same queue and moves it to the front', async () => {
    const { transport, advance } = await setup([
      { name: 'work', deadLetterExchange: '', deadLetterRoutingKey: 'dlq' },
      { name: 'dlq' },
      { name: 'wait', messageTtl: 100, deadLetterExchange: '', deadLetterRoutingKey: 'work' },
    ]);
    await transport.publish(toQueue('wait', 'x'));
    await advance(100);
    const first = (await transport.get('work'))!;
    await first.settle('ack');
    await transport.publish(toQueue('wait', 'x', first.delivery.properties));
    await advance(100);
    await (await transport.get('work'))!.settle('reject');
    const [dead] = transport.peek('dlq');
    expect(deaths(dead).map((d) => [d.queue, d.reason, d.count])).toEqual([['work', 'rejected', 1], ['wait', 'expired', 2]]);
  });

  it('drops a message that expires its way back into a queue it already died in', async () => {
    const { transport, advance } = await setup([{ name: 'loop', messageTtl: 100, deadLetterExchange: '' }]);
    await transport.publish(toQueue('loop', 'round and round'));
    await advance(1_000);
    expect(transport.peek('loop')).toEqual([]);
  });

  it('keeps a loop that a consumer rejects into (rejections are deliberate)', async () => {
    const { transport } = await setup([{ name: 'a', deadLetterExchange: '', deadLetterRoutingKey: 'b' }, { name: 'b', deadLetterExchange: '', deadLetterRoutingKey: 'a' }]);
    await transport.publish(toQueue('a', 'ping'));
    await (await transport.get('a'))!.settle('reject');
    await (await transport.get('b'))!.settle('reject');
    expect(peekBodies(transport, 'a')).toEqual(['ping']);
  });

  it('drops a rejected message when its queue has no dead-letter exchange', async () => {
    const { transport } = await setup([{ name: 'q' }]);
    await transport.publish(toQueue('q', 'gone'));
    await (await transport.get('q'))!.settle('reject');
    expect(transport.listQueues()).toEqual([{ name: 'q', messages: 0, consumers: 0 }]);
  });
});

describe('memory transport dispatch and lifecycle', () => {
  it('never runs a handler inside publish', async () => {
    const { transport } = await setup([{ name: 'q' }]);
    const seen: string[] = [];
    await transport.consume('q', { prefetch: 5, concurrency: 5 }, async (d) => {
      seen.push(d.body.toString());
      return 'ack';
    });
    const publishing = transport.publish(toQueue('q', 'async'));
    expect(seen).toEqual([]);
    await publishing;
    await transport.whenIdle();
    expect(seen).toEqual(['async']);
  });

  it('resolves whenIdle once a chain of handlers has finished, but not for messages waiting on a TTL', async () => {
    const { transport } = await setup([{ name: 'a' }, { name: 'b' }, { name: 'parked', messageTtl: 60_000 }]);
    const seen: string[] = [];
    await transport.consume('a', { prefetch: 10, concurrency: 2 }, async (d) => {
      await new Promise((r) => setTimeout(r, 1));
      await transport.publish(toQueue('b', `${d.body}→b`));
      return 'ack';
    });
    await transport.consume('b', { prefetch: 10, concurrency: 2 }, async (d) => {
      seen.push(d.body.toString());
      return 'ack';
    });
    await transport.publish(toQueue('parked', 'waits for time'));
    for (let i = 0; i < 20; i++) await transport.publish(toQueue('a', `m${i}`));
    await transport.whenIdle();
    expect(seen).toHaveLength(20);
    expect(peekBodies(transport, 'parked')).toEqual(['waits for time']);
  });

  it('alternates between consumers of one queue', async () => {
    const { transport } = await setup([{ name: 'q' }]);
    const order: string[] = [];
    for (const who of ['x', 'y']) {
      await transport.consume('q', { prefetch: 10, concurrency: 10 }, async () => {
        order.push(who);
        return 'ack';
      });
    }
    for (let i = 0; i < 6; i++) await transport.publish(toQueue('q', `m${i}`));
    await transport.whenIdle();
    expect(order).toEqual(['x', 'y', 'x', 'y', 'x', 'y']);
  });

  it('treats a throwing handler as requeue', async () => {
    const { transport } = await setup([{ name: 'q' }]);
    const seen: boolean[] = [];
    await transport.consume('q', { prefetch: 1, concurrency: 1 }, async (d) => {
      seen.push(d.redelivered);
      if (seen.length === 1) throw new Error('boom');
      return 'ack';
    });
    await transport.publish(toQueue('q', 'x'));
    await transport.whenIdle();
    expect(seen).toEqual([false, true]);
  });

  it('gives unsettled deliveries back as redelivered when cancel reaches its deadline', async () => {
    const { transport } = await setup([{ name: 'q' }]);
    const consumer = await transport.consume('q', { prefetch: 2, concurrency: 2 }, () => new Promise<Settlement>(() => {}));
    await transport.publish(toQueue('q', 'one'));
    await transport.publish(toQueue('q', 'two'));
    await new Promise((r) => setImmediate(r));
    // both are with the consumer, unacked: like RabbitMQ's declare-ok, only ready messages count
    expect(transport.listQueues()).toEqual([{ name: 'q', messages: 0, consumers: 1 }]);
    await consumer.cancel(10);
    expect(transport.peek('q').map((d) => [d.body.toString(), d.redelivered])).toEqual([['one', true], ['two', true]]);
    expect(transport.listQueues()).toEqual([{ name: 'q', messages: 2, consumers: 0 }]);
  });

  it('orders by priority, treating priorities above maxPriority as the maximum', async () => {
    const { transport } = await setup([{ name: 'q', maxPriority: 3 }]);
    for (const [body, priority] of [['low', 0], ['huge', 200], ['mid', 2], ['top', 3]] as const) {
      await transport.publish(toQueue('q', body, { priority }));
    }
    expect(peekBodies(transport, 'q')).toEqual(['huge', 'top', 'mid', 'low']);
  });

  it('enqueues nothing from a batch with one bad message', async () => {
    const { transport } = await setup([{ name: 'q' }]);
    const bad = { exchange: 'nope', routingKey: 'k', body: Buffer.from('x'), properties: {} };
    const error = await transport.publishBatch([toQueue('q', 'ok'), bad]).catch((e: unknown) => e);
    expect(isStokcerdasError(error, ErrorCodes.UNKNOWN_EXCHANGE)).toBe(true);
    expect(transport.peek('q')).toEqual([]);
  });

  it('names the missing queue or exchange with a coded error', async () => {
    const { transport } = await setup([{ name: 'q' }]);
    const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);
    expect(await codeOf(transport.get('missing'))).toBe(ErrorCodes.UNKNOWN_QUEUE);
    expect(await codeOf(transport.consume('missing', { prefetch: 1, concurrency: 1 }, async () => 'ack'))).toBe(ErrorCodes.UNKNOWN_QUEUE);
    expect(await codeOf(transport.assertTopology({ exchanges: [], queues: [], routes: [{ exchange: 'x', queue: 'q', routingKey: '#' }] })))
      .toBe(ErrorCodes.UNKNOWN_EXCHANGE);
    expect(await codeOf(transport.assertTopology({ exchanges: [], queues: [{ name: 'bad', deadLetterRoutingKey: 'k' }], routes: [] })))
      .toBe(ErrorCodes.TOPOLOGY_CONFLICT);
  });

  it('closes: publish rejects with TRANSPORT_CLOSED, timers are cleared, status says so', async () => {
    const { transport, clock } = await setup([{ name: 'wait', messageTtl: 5_000 }]);
    await transport.publish(toQueue('wait', 'pending'));
    expect(clock.nextDue()).toBeDefined();
    await transport.close();
    expect(clock.nextDue()).toBeUndefined();
    expect(transport.status()).toEqual({ connected: false, reconnects: 0, bufferedPublishes: 0 });
    const error = await transport.publish(toQueue('wait', 'late')).catch((e: unknown) => e);
    expect(isStokcerdasError(error, ErrorCodes.TRANSPORT_CLOSED)).toBe(true);
    await transport.close();
  });
});
