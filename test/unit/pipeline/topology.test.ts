import { describe, expect, it } from 'vitest';
import { buildTopology } from '../../../runtime/topology/build.ts';

const binding = { exchange: 'inventory.events', routingKeys: ['inventory.#'], queue: 'probe.watch', retry: { maxAttempts: 4, delayMs: 1000, multiplier: 2, maxDelayMs: 3000 } };

describe('topology from bindings', () => {
  const spec = buildTopology([binding], { prefix: 'sc', queueType: 'classic', defaultRetry: { maxAttempts: 2, delayMs: 5000, multiplier: 2, maxDelayMs: 300000 } });
  const queue = (name: string) => spec.queues.find((q) => q.name === name);

  it('declares the seed exchanges, queues and a DLQ for every work queue', () => {
    expect(spec.exchanges.map((e) => e.name)).toEqual(expect.arrayContaining(['sc.inventory.events', 'sc.notifications.direct', 'sc.broadcast.fanout', 'sc.dlx']));
    for (const q of ['sc.inventory.stock.updates', 'sc.ml.forecasting', 'sc.probe.watch']) {
      expect(queue(q)).toBeDefined();
      expect(queue(`${q}.dlq`)).toBeDefined();
      expect(spec.routes).toContainEqual({ exchange: 'sc.dlx', queue: `${q}.dlq`, routingKey: q });
    }
  });

  it('dead-letters what expires or is rejected in a work queue into its DLQ', () => {
    expect(queue('sc.probe.watch')).toMatchObject({ deadLetterExchange: 'sc.dlx', deadLetterRoutingKey: 'sc.probe.watch' });
    expect(queue('sc.orders.processing')).toMatchObject({ deadLetterExchange: 'sc.dlx', deadLetterRoutingKey: 'sc.orders.processing' });
  });

  it('binds the handler queue with each routing key', () => {
    expect(spec.routes).toContainEqual({ exchange: 'sc.inventory.events', queue: 'sc.probe.watch', routingKey: 'inventory.#' });
  });

  it('declares one wait queue per delay tier, capped, dead-lettering back through the default exchange', () => {
    const waits = spec.queues.filter((q) => q.name.startsWith('sc.probe.watch.retry.')).map((q) => [q.name, q.messageTtl, q.deadLetterExchange, q.deadLetterRoutingKey]);
    expect(waits).toEqual([
      ['sc.probe.watch.retry.1000ms', 1000, '', 'sc.probe.watch'],
      ['sc.probe.watch.retry.2000ms', 2000, '', 'sc.probe.watch'],
      ['sc.probe.watch.retry.3000ms', 3000, '', 'sc.probe.watch'],
      // the fallback policy's tier exists too, so no retry copy is ever unroutable
      ['sc.probe.watch.retry.5000ms', 5000, '', 'sc.probe.watch'],
    ]);
  });

  it('uses the configured queue type everywhere', () => {
    const quorum = buildTopology([binding], { prefix: 'sc', queueType: 'quorum' });
    expect(new Set(quorum.queues.map((q) => q.type))).toEqual(new Set(['quorum']));
    expect(quorum.queues.some((q) => q.maxPriority !== undefined)).toBe(false);
  });

  it('routes into a plugin holding queue by its routes, and still by the deprecated "bindings"', () => {
    const holding = (key: 'routes' | 'bindings') =>
      buildTopology([binding], { prefix: 'sc', queueType: 'classic', holdingQueues: [{ name: 'notes.wait', messageTtlMs: 60_000, [key]: [{ exchange: 'notifications.direct', routingKey: 'wait.60s' }] }] });
    for (const spec of [holding('routes'), holding('bindings')]) {
      expect(spec.routes).toContainEqual({ exchange: 'sc.notifications.direct', queue: 'sc.notes.wait', routingKey: 'wait.60s' });
    }
  });
});

