import { describe, expect, it, vi } from 'vitest';
import { ErrorCodes } from '../../runtime/errors.ts';
import type { Delivery } from '../../runtime/transport/contract.ts';
import { bodies, collect, expectCode, message, sleep, WAIT, type ConformanceScope } from './conformance-helpers.ts';

/** Real, short TTLs: long enough to observe "not yet" on a CI broker, short enough to keep the suite quick. */
const TTL = 250;

/** The second half of the conformance suite: retry delays, expiry, queue operations, broker errors. */
export function describeQueueConformance(s: ConformanceScope): void {
  const { n, declare, consume } = s;

  describe('retry delays and expiry', () => {
    const waitTopology = (work: string, wait: string) =>
      declare({ queues: [{ name: work }, { name: wait, messageTtl: TTL, deadLetterExchange: '', deadLetterRoutingKey: work }] });

    it('dead-letters a TTL wait queue (no consumer) back to the work queue after the delay', async () => {
      const [work, wait] = [n('work'), n('wait')];
      await waitTopology(work, wait);
      const started = Date.now();
      await s.t.publish(message('', wait, 'retry me', { messageId: 'r-1' }));
      expect(await s.t.get(work)).toBeNull();
      const [back] = await collect(s.t, work, 1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(TTL * 0.8);
      expect(back.body.toString()).toBe('retry me');
      expect(back.properties.messageId).toBe('r-1');
      expect((back.properties.headers?.['x-death'] as unknown[])[0]).toMatchObject({ queue: wait, reason: 'expired', count: 1, exchange: '', 'routing-keys': [wait] });
    });

    it('counts repeated trips through the same wait queue in x-death', async () => {
      const [work, wait] = [n('work'), n('wait')];
      await waitTopology(work, wait);
      await s.t.publish(message('', wait, 'twice'));
      const [first] = await collect(s.t, work, 1);
      await s.t.publish(message('', wait, first.body, first.properties));
      const [second] = await collect(s.t, work, 1);
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
      await s.t.publish(message('', wait, 'later'));
      await sleep(TTL / 2);
      expect(seen).toHaveLength(0);
      await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT);
    });

    it('expires a message by its own expiration and drops that property when dead-lettering', async () => {
      const [work, hold] = [n('work'), n('hold')];
      await declare({ queues: [{ name: work }, { name: hold, deadLetterExchange: '', deadLetterRoutingKey: work }] });
      await s.t.publish(message('', hold, 'short-lived', { expiration: TTL }));
      const [back] = await collect(s.t, work, 1);
      expect(back.properties.expiration).toBeUndefined();
      expect((back.properties.headers?.['x-death'] as unknown[])[0]).toMatchObject({ queue: hold, reason: 'expired' });
    });
  });

  describe('queue operations and message properties', () => {
    it('delivers higher priorities first on a maxPriority queue', async () => {
      const q = n('q');
      await declare({ queues: [{ name: q, maxPriority: 9 }] });
      for (const p of [1, 5, 9, 3]) await s.t.publish(message('', q, `p${p}`, { priority: p }));
      await s.t.publish(message('', q, 'none'));
      expect(bodies(await collect(s.t, q, 5))).toEqual(['p9', 'p5', 'p3', 'p1', 'none']);
    });

    it('gets one message at a time and settles it later', async () => {
      const [q, dlq] = [n('q'), n('dlq')];
      await declare({ queues: [{ name: q, deadLetterExchange: '', deadLetterRoutingKey: dlq }, { name: dlq }] });
      await s.t.publish(message('', q, 'one'));
      await s.t.publish(message('', q, 'two'));
      const first = await s.t.get(q);
      expect(first?.delivery).toMatchObject({ queue: q, redelivered: false });
      await first!.settle('requeue');
      const again = await s.t.get(q);
      expect(again?.delivery.body.toString()).toBe('one');
      expect(again?.delivery.redelivered).toBe(true);
      await again!.settle('reject');
      const second = await s.t.get(q);
      expect(second?.delivery.body.toString()).toBe('two');
      await second!.settle('ack');
      expect(await s.t.get(q)).toBeNull();
      const [dead] = await collect(s.t, dlq, 1);
      expect(dead).toMatchObject({ exchange: '', routingKey: dlq });
      expect(dead.body.toString()).toBe('one');
    });

    it('reports messages and consumers in queueInfo', async () => {
      const q = n('q');
      await declare({ queues: [{ name: q }] });
      for (let i = 0; i < 3; i++) await s.t.publish(message('', q, `m${i}`));
      await vi.waitFor(async () => expect(await s.t.queueInfo(q)).toEqual({ name: q, messages: 3, consumers: 0 }), WAIT);
      const consumer = await consume(q, 10, 10, async () => 'ack');
      await vi.waitFor(async () => expect(await s.t.queueInfo(q)).toEqual({ name: q, messages: 0, consumers: 1 }), WAIT);
      await consumer.cancel(1_000);
      await vi.waitFor(async () => expect((await s.t.queueInfo(q)).consumers).toBe(0), WAIT);
    });

    it('purges ready messages and says how many', async () => {
      const q = n('q');
      await declare({ queues: [{ name: q }] });
      for (let i = 0; i < 4; i++) await s.t.publish(message('', q, `m${i}`));
      expect(await s.t.purge(q)).toBe(4);
      expect(await s.t.get(q)).toBeNull();
    });

    it('publishes a batch in order', async () => {
      const x = n('x');
      const [a, b] = [n('a'), n('b')];
      await declare({
        exchanges: [{ name: x, type: 'topic' }],
        queues: [{ name: a }, { name: b }],
        routes: [{ exchange: x, queue: a, routingKey: 'a.*' }, { exchange: x, queue: b, routingKey: 'b.*' }],
      });
      await s.t.publishBatch(['a.1', 'b.1', 'a.2', 'a.3', 'b.2'].map((k) => message(x, k, k)));
      expect(bodies(await collect(s.t, a, 3))).toEqual(['a.1', 'a.2', 'a.3']);
      expect(bodies(await collect(s.t, b, 2))).toEqual(['b.1', 'b.2']);
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
      await s.t.publish(message('', q, body, properties));
      const [d] = await collect(s.t, q, 1);
      expect(Buffer.compare(d.body, body)).toBe(0);
      expect(d.properties).toMatchObject({ ...properties, headers: expect.objectContaining(properties.headers) });
    });
  });

  // Last on purpose: on RabbitMQ each of these closes the channel, and the transport must recover.
  describe('errors the broker reports', () => {
    it('rejects a publish to an undeclared exchange with UNKNOWN_EXCHANGE and keeps working', async () => {
      const q = n('q');
      await declare({ queues: [{ name: q }] });
      await expectCode(s.t.publish(message(n('missing'), 'k', 'lost')), ErrorCodes.UNKNOWN_EXCHANGE);
      await s.t.publish(message('', q, 'still works'));
      expect(bodies(await collect(s.t, q, 1))).toEqual(['still works']);
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
      await s.t.publish(message('', q, 'after the conflict'));
      expect(bodies(await collect(s.t, q, 1))).toEqual(['after the conflict']);
    });
  });
}
