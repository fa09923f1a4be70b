import { describe, expect, it, vi } from 'vitest';
import type { Delivery } from '../../runtime/transport/contract.ts';
import { bodies, collect, conformanceScope, message, sleep, WAIT, type ConformanceFactory } from './conformance-helpers.ts';
import { describeQueueConformance } from './transport-suite-queues.ts';

export type { ConformanceContext, ConformanceFactory } from './conformance-helpers.ts';

/**
 * The Transport contract as tests, run against every implementation (Watermill's idea): each test
 * gets a fresh transport, declares its own names under the prefix, and uses real short TTLs.
 */
export function describeTransportConformance(name: string, factory: ConformanceFactory): void {
  describe(`transport conformance: ${name}`, () => {
    const s = conformanceScope(factory);
    const { n, declare, consume, holding } = s;

    describe('routing', () => {
      it('routes a topic exchange with * and #, one copy per queue however many bindings match', async () => {
        const x = n('x');
        const [q1, q2] = [n('q1'), n('q2')];
        await declare({
          exchanges: [{ name: x, type: 'topic' }],
          queues: [{ name: q1 }, { name: q2 }],
          routes: [
            { exchange: x, queue: q1, routingKey: '*.orange.*' },
            { exchange: x, queue: q2, routingKey: '*.*.rabbit' },
            { exchange: x, queue: q2, routingKey: 'lazy.#' },
          ],
        });
        const keys = ['quick.orange.rabbit', 'lazy.orange.elephant', 'quick.orange.fox', 'lazy.brown.fox', 'lazy.pink.rabbit',
          'quick.brown.fox', 'orange', 'quick.orange.new.rabbit', 'lazy.orange.new.rabbit', 'lazy'];
        for (const key of keys) await s.t.publish(message(x, key, key));
        expect(bodies(await collect(s.t, q1, 3))).toEqual(['quick.orange.rabbit', 'lazy.orange.elephant', 'quick.orange.fox']);
        expect(bodies(await collect(s.t, q2, 6))).toEqual(
          ['quick.orange.rabbit', 'lazy.orange.elephant', 'lazy.brown.fox', 'lazy.pink.rabbit', 'lazy.orange.new.rabbit', 'lazy']);
      });

      it('routes a direct exchange by exact key and drops what matches no binding', async () => {
        const x = n('x');
        const [a, b] = [n('a'), n('b')];
        await declare({
          exchanges: [{ name: x, type: 'direct' }],
          queues: [{ name: a }, { name: b }],
          routes: [
            { exchange: x, queue: a, routingKey: 'red' },
            { exchange: x, queue: b, routingKey: 'red' },
            { exchange: x, queue: b, routingKey: 'green' },
          ],
        });
        for (const key of ['red', 'green', 'blue', 'red.dark']) await s.t.publish(message(x, key, key));
        expect(bodies(await collect(s.t, a, 1))).toEqual(['red']);
        expect(bodies(await collect(s.t, b, 2))).toEqual(['red', 'green']);
      });

      it('copies a fanout message to every bound queue whatever the key', async () => {
        const x = n('x');
        const [a, b] = [n('a'), n('b')];
        await declare({
          exchanges: [{ name: x, type: 'fanout' }],
          queues: [{ name: a }, { name: b }],
          routes: [{ exchange: x, queue: a, routingKey: '' }, { exchange: x, queue: b, routingKey: 'ignored' }],
        });
        await s.t.publish(message(x, 'anything.at.all', 'hello'));
        expect(bodies(await collect(s.t, a, 1))).toEqual(['hello']);
        expect(bodies(await collect(s.t, b, 1))).toEqual(['hello']);
      });

      it('routes the default exchange to the queue named by the routing key', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        await s.t.publish(message('', n('no-such-queue'), 'dropped'));
        await s.t.publish(message('', q, 'direct to queue'));
        const [d] = await collect(s.t, q, 1);
        expect(d).toMatchObject({ exchange: '', routingKey: q, queue: q, redelivered: false });
        expect(d.body.toString()).toBe('direct to queue');
      });

      it('accepts the same topology declared twice', async () => {
        const x = n('x');
        const q = n('q');
        const topology = {
          exchanges: [{ name: x, type: 'topic' as const }],
          queues: [{ name: q, messageTtl: 60_000, maxPriority: 5 }],
          routes: [{ exchange: x, queue: q, routingKey: 'a.#' }],
        };
        await declare(topology);
        await declare(topology);
        await s.t.publish(message(x, 'a.b', 'once'));
        expect(bodies(await collect(s.t, q, 1))).toEqual(['once']);
      });
    });

    describe('consuming and settling', () => {
      it('resolves publish and hands the message to a consumer; ack removes it', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        const seen: Delivery[] = [];
        const consumer = await consume(q, 10, 1, async (d) => {
          seen.push(d);
          return 'ack';
        });
        await s.t.publish(message('', q, 'consumed'));
        await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT);
        expect(seen[0]).toMatchObject({ queue: q, routingKey: q, redelivered: false });
        expect(seen[0].body.toString()).toBe('consumed');
        await consumer.cancel(1_000);
        await vi.waitFor(async () => expect(await s.t.queueInfo(q)).toMatchObject({ messages: 0, consumers: 0 }), WAIT);
        expect(await s.t.get(q)).toBeNull();
      });

      it('dead-letters a rejected delivery to the DLX with x-death, keeping body and properties', async () => {
        const [x, dlx] = [n('x'), n('dlx')];
        const [work, dlq] = [n('work'), n('work.dlq')];
        await declare({
          exchanges: [{ name: x, type: 'topic' }, { name: dlx, type: 'direct' }],
          queues: [{ name: work, deadLetterExchange: dlx }, { name: dlq }],
          routes: [{ exchange: x, queue: work, routingKey: 'orders.#' }, { exchange: dlx, queue: dlq, routingKey: 'orders.created' }],
        });
        await consume(work, 5, 1, async () => 'reject');
        await s.t.publish(message(x, 'orders.created', '{"id":1}', { messageId: 'm-1', type: 'orders.created', headers: { tenant: 't-9' } }));
        const [dead] = await collect(s.t, dlq, 1);
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
        await s.t.publish(message('', q, 'again'));
        await vi.waitFor(() => expect(seen).toEqual([false, true]), WAIT);
      });

      it('never has more than prefetch deliveries unsettled on a consumer', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        for (let i = 0; i < 8; i++) await s.t.publish(message('', q, `m${i}`));
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
        for (let i = 0; i < 6; i++) await s.t.publish(message('', q, `m${i}`));
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
        for (let i = 0; i < 10; i++) await s.t.publish(message('', q, `m${i}`));
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
        await s.t.publish(message('', q, 'first'));
        await vi.waitFor(() => expect(h.held()).toBe(1), WAIT);
        let cancelled = false;
        const cancelling = consumer.cancel(5_000).then(() => {
          cancelled = true;
        });
        await s.t.publish(message('', q, 'second'));
        await sleep(100);
        expect(cancelled).toBe(false);
        h.release();
        await cancelling;
        expect(bodies(h.handled)).toEqual(['first']);
        const [left] = await collect(s.t, q, 1);
        expect(left.body.toString()).toBe('second');
      });

      it('cancel gives up waiting at its deadline', async () => {
        const q = n('q');
        await declare({ queues: [{ name: q }] });
        const h = holding();
        const consumer = await consume(q, 1, 1, h.handler);
        await s.t.publish(message('', q, 'stuck'));
        await vi.waitFor(() => expect(h.held()).toBe(1), WAIT);
        const started = Date.now();
        await consumer.cancel(200);
        expect(Date.now() - started).toBeLessThan(3_000);
      });
    });

    describeQueueConformance(s);
  });
}
