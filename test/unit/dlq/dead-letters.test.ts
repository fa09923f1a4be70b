import { describe, expect, it } from 'vitest';
import { parseDeadLetterFilter, replayDeadLetters, replayMessage, resolveDlqName, peekDeadLetters } from '../../../runtime/dlq/index.ts';
import { createMemoryTransport } from '../../../runtime/transport/memory/index.ts';
import type { Delivery, Transport } from '../../../runtime/transport/contract.ts';

const letter = (n: number, headers: Record<string, unknown> = {}): Delivery => ({
  body: Buffer.from(JSON.stringify({ specversion: '1.0', id: `e-${n}`, type: 'orders.order.paid', tenantid: 't1' })),
  exchange: 'p.dlx',
  routingKey: 'p.orders.processing',
  queue: 'p.orders.processing.dlq',
  redelivered: false,
  properties: {
    messageId: `e-${n}`,
    type: 'orders.order.paid',
    headers: {
      'x-death-reason': 'retries-exhausted', 'x-attempts': 3, 'x-error-type': 'Error', 'x-error-message': 'boom', 'x-error-stack': 'at …',
      'x-handler': 'p/h', 'x-original-exchange': 'p.orders.events', 'x-original-routing-key': 'orders.order.paid',
      'x-original-queue': 'p.orders.processing', 'x-failed-at': '2026-01-01T00:00:00.000Z', 'x-host': 'h/1',
      'x-retry-handlers': 'p/h', 'x-death': [], traceparent: 'keep-me', ...headers,
    } as Delivery['properties']['headers'],
  },
});

describe('dead-letter tools', () => {
  it('names the DLQ however the queue is given, never a work queue', () => {
    for (const n of ['orders.processing', 'orders.processing.dlq', 'p.orders.processing', 'p.orders.processing.dlq']) {
      expect(resolveDlqName('p', n)).toBe('p.orders.processing.dlq');
    }
  });

  it('replays to the original exchange and routing key with the failure headers dropped', () => {
    const m = replayMessage(letter(1), 'p.orders.processing.dlq', Date.parse('2026-02-02T00:00:00Z'))!;
    expect(m).toMatchObject({ exchange: 'p.orders.events', routingKey: 'orders.order.paid', properties: { messageId: 'e-1', persistent: true } });
    expect(m.properties.headers).toEqual({ traceparent: 'keep-me', 'x-replayed-from': 'p.orders.processing.dlq', 'x-replayed-at': '2026-02-02T00:00:00.000Z', 'x-replay-count': 1 });
    expect(replayMessage(letter(2, { 'x-original-exchange': undefined }), 'q', 0)).toBeUndefined();
  });

  it('filters by reason or type pattern', () => {
    expect(parseDeadLetterFilter('poison')!(letter(1))).toBe(false);
    expect(parseDeadLetterFilter('reason=retries-exhausted')!(letter(1))).toBe(true);
    expect(parseDeadLetterFilter('orders.#')!(letter(1))).toBe(true);
    expect(parseDeadLetterFilter('type=inventory.*')!(letter(1))).toBe(false);
    expect(() => parseDeadLetterFilter('reason=tired')).toThrow(/not a death reason/);
  });

  it('a replay cut off by a failed publish loses nothing: the rest stays in the DLQ, in order', async () => {
    const t = createMemoryTransport();
    await t.connect();
    await t.assertTopology({
      exchanges: [{ name: 'p.orders.events', type: 'topic' }],
      queues: [{ name: 'p.orders.processing' }, { name: 'p.orders.processing.dlq' }],
      routes: [{ exchange: 'p.orders.events', queue: 'p.orders.processing', routingKey: 'orders.#' }],
    });
    for (let n = 1; n <= 5; n++) {
      const l = letter(n, n === 2 ? { 'x-death-reason': 'poison' } : {});
      await t.publish({ exchange: '', routingKey: 'p.orders.processing.dlq', body: l.body, properties: l.properties });
    }
    expect((await peekDeadLetters(t, 'p.orders.processing.dlq', 10)).map((l) => l.messageId)).toEqual(['e-1', 'e-2', 'e-3', 'e-4', 'e-5']);
    let calls = 0;
    const flaky = { ...t, get: t.get.bind(t), queueInfo: t.queueInfo.bind(t), purge: t.purge.bind(t), publish: (m) => (++calls === 3 ? Promise.reject(new Error('gone')) : t.publish(m)) } as Transport;
    await expect(replayDeadLetters(flaky, 'p.orders.processing.dlq', { filter: parseDeadLetterFilter('retries-exhausted') })).rejects.toThrow('gone');
    expect((await t.queueInfo('p.orders.processing')).messages).toBe(2);
    const left = await peekDeadLetters(t, 'p.orders.processing.dlq', 10);
    expect(left.map((l) => l.messageId)).toEqual(['e-2', 'e-4', 'e-5']);
    expect(await replayDeadLetters(t, 'p.orders.processing.dlq', { filter: parseDeadLetterFilter('retries-exhausted') })).toEqual({ replayed: 2, skipped: 1, unroutable: 0 });
    expect((await t.queueInfo('p.orders.processing')).messages).toBe(4);
    expect((await t.queueInfo('p.orders.processing.dlq')).messages).toBe(1);
    await t.close();
  });
});
