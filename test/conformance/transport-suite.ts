import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes } from '../../runtime/errors.ts';
import type { Consumer, Delivery, Settlement, TopologySpec, Transport } from '../../runtime/transport/contract.ts';
import { bodies, collect, expectCode, holdingHandler, message, sleep, WAIT } from './conformance-helpers.ts';

export interface ConformanceContext {
  /** connected, ready to declare topology */
  transport: Transport;
  /** every exchange and queue a test declares starts with `${prefix}.` */
  prefix: string;
  /** accepted for symmetry with the fake bus; the suite runs on real time so it also fits RabbitMQ */
  advance?(ms: number): Promise<void>;
  /** closes the transport and removes whatever the test declared */
  cleanup(): Promise<void>;
}

export interface ConformanceFactory {
  create(): Promise<ConformanceContext>;
}

const TTL = 250;

/**
 * The Transport contract as tests, run against every implementation (Watermill's idea): each test
 * gets a fresh transport, declares its own names under the prefix, and uses real short TTLs.
 */
export function describeTransportConformance(name: string, factory: ConformanceFactory): void {
  describe(`transport conformance: ${name}`, () => {
    let ctx: ConformanceContext;
    let t: Transport;
    let consumers: Consumer[];
    let releases: Array<() => void>;
    let seq = 0;
    let id = '';
    const n = (suffix: string): string => `${ctx.prefix}.t${id}.${suffix}`;
    const declare = (spec: Partial<TopologySpec>): Promise<void> =>
      t.assertTopology({ exchanges: spec.exchanges ?? [], queues: spec.queues ?? [], bindings: spec.bindings ?? [] });
    const consume = async (queue: string, prefetch: number, concurrency: number, handler: (d: Delivery) => Promise<Settlement>) => {
      const consumer = await t.consume(queue, { prefetch, concurrency }, handler);
      consumers.push(consumer);
      return consumer;
    };
    const holding = () => {
      const h = holdingHandler();
      releases.push(h.release);
      return h;
    };

    beforeEach(async () => {
      id = String(++seq);
      consumers = [];
      releases = [];
      ctx = await factory.create();
      t = ctx.transport;
    });

    afterEach(async () => {
      for (const release of releases) release();
      await Promise.all(consumers.map((c) => c.cancel(1_000).catch(() => undefined)));
      await ctx.cleanup();
    });

    describe('routing', () => {
      it('routes a topic exchange with * and #, one copy per queue however many bindings match', async () => {
        const x = n('x');
        const [q1, q2] = [n('q1'), n('q2')];
        await declare({
          exchanges: [{ name: x, type: 'topic' }],
          queues: [{ name: q1 }, { name: q2 }],
          bindings: [
            { exchange: x, queue: q1, routingKey: '*.orange.*' },
            { exchange: x, queue: q2, routingKey: '*.*.rabbit' },
            { exchange: x, queue: q2, routingKey: 'lazy.#' },
          ],
        });
        const keys = ['quick.orange.rabbit', 'lazy.orange.elephant', 'quick.orange.fox', 'lazy.brown.fox', 'lazy.pink.rabbit',
          'quick.brown.fox', 'orange', 'quick.orange.new.rabbit', 'lazy.orange.new.rabbit', 'lazy'];
        for (const key of keys) await t.publish(message(x, key, key));
        expect(bodies(await collect(t, q1, 3))).toEqual(['quick.orange.rabbit', 'lazy.orange.elephant', 'quick.orange.fox']);
        expect(bodies(await collect(t, q2, 6))).toEqual(
          ['quick.orange.rabbit', 'lazy.orange.elephant', 'lazy.brown.fox', 'lazy.pink.rabbit', 'lazy.orange.new.rabbit', 'lazy']);
      });

      it('routes a direct exchange by exact key and drops what matches no binding', async () => {
        const x = n('x');
        const [a, b] = [n('a'), n('b')];
        await declare({
          exchanges: [{ name: x, type: 'direct' }],
          queues: [{ name: a }, { name: b }],
          bindings: [
            { exchange: x, queue: a, routingKey: 'red' },
            { exchange: x, queue: b, routingKey: 'red' },
            { exchange: x, queue: b, routingKey: 'green' },
          ],
        });
        for (const key of ['red', 'green', 'blue', 'red.dark']) await t.publish(message(x, key, key));
        expect(bodies(await collect(t, a, 1))).toEqual(['red']);
        expect(bodies(await collect(t, b, 2))).toEqual(['red', 'green']);
      });

      it('copies a fanout message to every bound queue whatever the key', async () => {
        const x = n('x');
        const [a, b] = [n('a'), n('b')];
        await declare({
          exchanges: [{ name: x, type: 'fanout' }],
          queues: [{ name: a }, { name: b }],
          bindings: [{ exchange: x, queue: a, routingKey: '' }, { exchange: x, queue: b, routingKey: 'ignored' }],
        });
        await t.publish(message(x, 'anything.at.all', 'hello'));
        expect(bodies(await collect(t, a, 1))).toEqual(['hello']);
        expect(bodies(await collect(t, b, 1))).toEqual(['hello']);
      });

      it('routes the default exchange to the queue named by the routing key', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        await t.publish(message('', n('no-such-queue'), 'dropped'));
        await t.publish(message('', q, 'direct to queue'));
        const [d] = await collect(t, q, 1);
        expect(d).toMatchObject({ exchange: '', routingKey: q, queue: q, redelivered: false });
        expect(d.body.toString()).toBe('direct to queue');
      });

      it('accepts the same topology declared twice', async () => {
        const x = n('x');
        const q = n('q');
        const topology = {
          exchanges: [{ name: x, type: 'topic' as const }],
          queues: [{ name: q, messageTtl: 60_000, maxPriority: 5 }],
          bindings: [{ exchange: x, queue: q, routingKey: 'a.#' }],
        };
        await declare(topology);
        await declare(topology);
        await t.publish(message(x, 'a.b', 'once'));
        expect(bodies(await collect(t, q, 1))).toEqual(['once']);
      });
    });

    describe('consuming and settling', () => {
      it('resolves publish and hands the message to a consumer; ack removes it', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        const seen: Delivery[] = [];
        await consume(q, 10, 1, async (d) => {
          seen.push(d);
          return 'ack';
        });
        await t.publish(message('', q, 'consumed'));
        await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT);
        expect(seen[0]).toMatchObject({ queue: q, routingKey: q, redelivered: false });
        expect(seen[0].body.toString()).toBe('consumed');
        await consumers[0].cancel(1_000);
        await vi.waitFor(async () => expect(await t.queueInfo(q)).toMatchObject({ messages: 0, consumers: 0 }), WAIT);
        expect(await t.get(q)).toBeNull();
      });

      it('dead-letters a rejected delivery to the DLX with x-death, keeping body and properties', async () => {
        const [x, dlx] = [n('x'), n('dlx')];
        const [work, dlq] = [n('work'), n('work.dlq')];
        await declare({
          exchanges: [{ name: x, type: 'topic' }, { name: dlx, type: 'direct' }],
          queues: [{ name: work, deadLetterExchange: dlx }, { name: dlq }],
          bindings: [{ exchange: x, queue: work, routingKey: 'orders.#' }, { exchange: dlx, queue: dlq, routingKey: 'orders.created' }],
        });
        await consume(work, 5, 1, async () => 'reject');
        await t.publish(message(x, 'orders.created', '{"id":1}', { messageId: 'm-1', type: 'orders.created', headers: { tenant: 't-9' } }));
        const [dead] = await collect(t, dlq, 1);
        expect(dead.body.toString()).toBe('{"id":1}');
        expect(dead).toMatchObject({ exchange: dlx, routingKey: 'orders.created' });
        expect(dead.properties).toMatchObject({ messageId: 'm-1', type: 'orders.created' });
        expect(dead.properties.headers?.tenant).toBe('t-9');
        expect((dead.properties.headers?.['x-death'] as unknown[])[0]).toMatchObject({
          queue: work, reason: 'rejected', count: 1, exchange: x, 'routing-keys': ['orders.created'],
        });
      });

      it('redelivers a requeued delivery with redelivered=true', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        const seen: boolean[] = [];
        await consume(q, 1, 1, async (d) => {
          seen.push(d.redelivered);
          return seen.length === 1 ? 'requeue' : 'ack';
        });
        await t.publish(message('', q, 'again'));
        await vi.waitFor(() => expect(seen).toEqual([false, true]), WAIT);
      });

      it('never has more than prefetch deliveries unsettled on a consumer', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        for (let i = 0; i < 8; i++) await t.publish(message('', q, `m${i}`));
        const h = holding();
        await consume(q, 3, 3, h.handler);
        await vi.waitFor(() => expect(h.held()).toBe(3), WAIT);
        await sleep(150);
        expect(h.maxHeld()).toBe(3);
        h.release();
        await vi.waitFor(() => expect(h.handled).toHaveLength(8), WAIT);
        expect(bodies(h.handled).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
      });

      it('never runs more than concurrency handler calls at once', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        let active = 0;
        let max = 0;
        let done = 0;
        await consume(q, 10, 2, async () => {
          max = Math.max(max, ++active);
          await sleep(40);
          active--;
          done++;
          return 'ack';
        });
        for (let i = 0; i < 6; i++) await t.publish(message('', q, `m${i}`));
        await vi.waitFor(() => expect(done).toBe(6), WAIT);
        expect(max).toBe(2);
      });

      it('shares a queue between competing consumers, each message handled once', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        const byConsumer: string[][] = [[], []];
        for (const list of byConsumer) {
          await consume(q, 1, 1, async (d) => {
            list.push(d.body.toString());
            await sleep(15);
            return 'ack';
          });
        }
        for (let i = 0; i < 10; i++) await t.publish(message('', q, `m${i}`));
        await vi.waitFor(() => expect(byConsumer[0].length + byConsumer[1].length).toBe(10), WAIT);
        expect(byConsumer[0].length).toBeGreaterThan(0);
        expect(byConsumer[1].length).toBeGreaterThan(0);
        expect(new Set([...byConsumer[0], ...byConsumer[1]]).size).toBe(10);
      });

      it('cancel stops new deliveries and waits for the one in flight', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        const h = holding();
        const consumer = await consume(q, 1, 1, h.handler);
        await t.publish(message('', q, 'first'));
        await vi.waitFor(() => expect(h.held()).toBe(1), WAIT);
        let cancelled = false;
        const cancelling = consumer.cancel(5_000).then(() => {
          cancelled = true;
        });
        await t.publish(message('', q, 'second'));
        await sleep(100);
        expect(cancelled).toBe(false);
        h.release();
        await cancelling;
        expect(bodies(h.handled)).toEqual(['first']);
        const [left] = await collect(t, q, 1);
        expect(left.body.toString()).toBe('second');
      });

      it('cancel gives up waiting at its deadline', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        const h = holding();
        const consumer = await consume(q, 1, 1, h.handler);
        await t.publish(message('', q, 'stuck'));
        await vi.waitFor(() => expect(h.held()).toBe(1), WAIT);
        const started = Date.now();
        await consumer.cancel(200);
        expect(Date.now() - started).toBeLessThan(3_000);
      });
    });

    describe('retry delays and expiry', () => {
      const waitTopology = (work: string, wait: string) =>
        declare({ queues: [{ name: work }, { name: wait, messageTtl: TTL, deadLetterExchange: '', deadLetterRoutingKey: work }] });

      it('dead-letters a TTL wait queue (no consumer) back to the work queue after the delay', async () => {
        const [work, wait] = [n('work'), n('wait')];
        await waitTopology(work, wait);
        const started = Date.now();
        await t.publish(message('', wait, 'retry me', { messageId: 'r-1' }));
        expect(await t.get(work)).toBeNull();
        const [back] = await collect(t, work, 1);
        expect(Date.now() - started).toBeGreaterThanOrEqual(TTL * 0.8);
        expect(back.body.toString()).toBe('retry me');
        expect(back.properties.messageId).toBe('r-1');
        expect((back.properties.headers?.['x-death'] as unknown[])[0]).toMatchObject({ queue: wait, reason: 'expired', count: 1, exchange: '', 'routing-keys': [wait] });
      });

      it('counts repeated trips through the same wait queue in x-death', async () => {
        const [work, wait] = [n('work'), n('wait')];
        await waitTopology(work, wait);
        await t.publish(message('', wait, 'twice'));
        const [first] = await collect(t, work, 1);
        await t.publish(message('', wait, first.body, first.properties));
        const [second] = await collect(t, work, 1);
        const deaths = second.properties.headers?.['x-death'] as Array<Record<string, unknown>>;
        expect(deaths).toHaveLength(1);
        expect(deaths[0]).toMatchObject({ queue: wait, reason: 'expired', count: 2 });
      });

      it('delivers a retried message to a consumer of the work queue', async () => {
        const [work, wait] = [n('work'), n('wait')];
        await waitTopology(work, wait);
        const seen: Delivery[] = [];
        await consume(work, 5, 5, async (d) => {
          seen.push(d);
          return 'ack';
        });
        await t.publish(message('', wait, 'later'));
        await sleep(TTL / 2);
        expect(seen).toHaveLength(0);
        await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT);
      });

      it('expires a message by its own expiration and drops that property when dead-lettering', async () => {
        const [work, hold] = [n('work'), n('hold')];
        await declare({ queues: [{ name: work }, { name: hold, deadLetterExchange: '', deadLetterRoutingKey: work }] });
        await t.publish(message('', hold, 'short-lived', { expiration: TTL }));
        const [back] = await collect(t, work, 1);
        expect(back.properties.expiration).toBeUndefined();
        expect((back.properties.headers?.['x-death'] as unknown[])[0]).toMatchObject({ queue: hold, reason: 'expired' });
      });
    });

    describe('queue operations and message properties', () => {
      it('delivers higher priorities first on a maxPriority queue', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q, maxPriority: 9 }] });
        for (const p of [1, 5, 9, 3]) await t.publish(message('', q, `p${p}`, { priority: p }));
        await t.publish(message('', q, 'none'));
        expect(bodies(await collect(t, q, 5))).toEqual(['p9', 'p5', 'p3', 'p1', 'none']);
      });

      it('gets one message at a time and settles it later', async () => {
        const [q, dlq] = [n('q'), n('dlq')];
        await declare({ queues: [{ name: q, deadLetterExchange: '', deadLetterRoutingKey: dlq }, { name: dlq }] });
        await t.publish(message('', q, 'one'));
        await t.publish(message('', q, 'two'));
        const first = await t.get(q);
        expect(first?.delivery).toMatchObject({ queue: q, redelivered: false });
        await first!.settle('requeue');
        const again = await t.get(q);
        expect(again?.delivery.body.toString()).toBe('one');
        expect(again?.delivery.redelivered).toBe(true);
        await again!.settle('reject');
        const second = await t.get(q);
        expect(second?.delivery.body.toString()).toBe('two');
        await second!.settle('ack');
        expect(await t.get(q)).toBeNull();
        const [dead] = await collect(t, dlq, 1);
        expect(dead).toMatchObject({ exchange: '', routingKey: dlq });
        expect(dead.body.toString()).toBe('one');
      });

      it('reports messages and consumers in queueInfo', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        for (let i = 0; i < 3; i++) await t.publish(message('', q, `m${i}`));
        await vi.waitFor(async () => expect(await t.queueInfo(q)).toEqual({ name: q, messages: 3, consumers: 0 }), WAIT);
        const consumer = await consume(q, 10, 10, async () => 'ack');
        await vi.waitFor(async () => expect(await t.queueInfo(q)).toEqual({ name: q, messages: 0, consumers: 1 }), WAIT);
        await consumer.cancel(1_000);
        await vi.waitFor(async () => expect((await t.queueInfo(q)).consumers).toBe(0), WAIT);
      });

      it('purges ready messages and says how many', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        for (let i = 0; i < 4; i++) await t.publish(message('', q, `m${i}`));
        expect(await t.purge(q)).toBe(4);
        expect(await t.get(q)).toBeNull();
      });

      it('publishes a batch in order', async () => {
        const x = n('x');
        const [a, b] = [n('a'), n('b')];
        await declare({
          exchanges: [{ name: x, type: 'topic' }],
          queues: [{ name: a }, { name: b }],
          bindings: [{ exchange: x, queue: a, routingKey: 'a.*' }, { exchange: x, queue: b, routingKey: 'b.*' }],
        });
        await t.publishBatch(['a.1', 'b.1', 'a.2', 'a.3', 'b.2'].map((k) => message(x, k, k)));
        expect(bodies(await collect(t, a, 3))).toEqual(['a.1', 'a.2', 'a.3']);
        expect(bodies(await collect(t, b, 2))).toEqual(['b.1', 'b.2']);
      });

      it('round-trips the body bytes, properties and header types', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        const body = Buffer.from([0, 1, 127, 128, 255, 0x7b, 0x7d]);
        const properties = {
          messageId: '6f1c2b1e-4a7f-4a55-9d53-0c1f3f0a9b11', type: 'inventory.stock.level.changed', correlationId: 'corr-42',
          contentType: 'application/cloudevents+json', priority: 7, timestamp: 1_767_582_000, appId: 'stokcerdas',
          headers: { tenant: 'toko-1', attempt: 3, negative: -7, ratio: 1.5, urgent: true, holiday: false },
        };
        await t.publish(message('', q, body, properties));
        const [d] = await collect(t, q, 1);
        expect(Buffer.compare(d.body, body)).toBe(0);
        expect(d.properties).toMatchObject({ ...properties, headers: expect.objectContaining(properties.headers) });
      });
    });

    // Last on purpose: on RabbitMQ each of these closes the channel, and the transport must recover.
    describe('errors the broker reports', () => {
      it('rejects a publish to an undeclared exchange with UNKNOWN_EXCHANGE and keeps working', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        await expectCode(t.publish(message(n('missing'), 'k', 'lost')), ErrorCodes.UNKNOWN_EXCHANGE);
        await t.publish(message('', q, 'still works'));
        expect(bodies(await collect(t, q, 1))).toEqual(['still works']);
      });

      it('reports an exchange redeclared with another type as TOPOLOGY_CONFLICT', async () => {
        const x = n('x');
        await declare({ exchanges: [{ name: x, type: 'topic' }] });
        const error = await expectCode(declare({ exchanges: [{ name: x, type: 'fanout' }] }), ErrorCodes.TOPOLOGY_CONFLICT);
        expect(error.message).toContain(x);
      });

      it('reports a queue redeclared with a different argument as TOPOLOGY_CONFLICT naming both', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q, messageTtl: 300 }] });
        const error = await expectCode(declare({ queues: [{ name: q, messageTtl: 500 }] }), ErrorCodes.TOPOLOGY_CONFLICT);
        expect(error.message).toContain(q);
        expect(error.message).toMatch(/message-?ttl/i);
        await t.publish(message('', q, 'after the conflict'));
        expect(bodies(await collect(t, q, 1))).toEqual(['after the conflict']);
      });
    });
  });
}
