import { describe, expect, it } from 'vitest';
import { createTestBus } from 'stokcerdas/testing';
import { alwaysFails, pluginWith, rejectsForGood, stockChanged } from './fixtures.ts';

describe('retry and dead-lettering on virtual time', () => {
  it('dead-letters after three attempts with the failure recorded', async () => {
    const bus = await createTestBus({ plugins: [alwaysFails] });
    await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.advance(60_000);
    expect(bus.failed.map((f) => f.attempt)).toEqual([1, 2, 3]);
    expect(bus.deadLettered).toEqual([
      expect.objectContaining({
        queue: 'stokcerdas.probe.watch',
        headers: expect.objectContaining({
          'x-death-reason': 'retries-exhausted',
          'x-attempts': 3,
          'x-error-type': 'Error',
          'x-error-message': 'warehouse API down',
          'x-handler': 'probe/watch',
          'x-original-exchange': 'stokcerdas.inventory.events',
          'x-original-routing-key': 'inventory.stock.level.changed',
          'x-original-queue': 'stokcerdas.probe.watch',
          'x-host': 'test-bus',
        }),
      }),
    ]);
    await bus.close();
  });

  it('waits delayMs × multiplier^(n-1) between attempts', async () => {
    const bus = await createTestBus({ plugins: [alwaysFails], config: { retry: { maxAttempts: 4, delayMs: 1000, multiplier: 3 } } });
    const t0 = bus.clock.now();
    const attemptTimes: number[] = [];
    const published = await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.idle();
    attemptTimes.push(bus.clock.now() - t0);
    for (const wait of [999, 1, 2999, 1, 8999, 1]) {
      await bus.advance(wait);
      attemptTimes.push(bus.failed.length);
    }
    // failures counted after each step: the next attempt happens exactly when its delay is up
    expect(attemptTimes).toEqual([0, 1, 2, 2, 3, 3, 4]);
    expect(bus.deadLettered).toHaveLength(1);
    expect(bus.deadLettered[0]!.event?.id).toBe(published.id);
    await bus.close();
  });

  it('caps the delay at maxDelayMs', async () => {
    const bus = await createTestBus({ plugins: [alwaysFails], config: { retry: { maxAttempts: 3, delayMs: 1000, multiplier: 10, maxDelayMs: 2000 } } });
    await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.advance(1000);
    expect(bus.failed).toHaveLength(2);
    await bus.advance(1999);
    expect(bus.failed).toHaveLength(2);
    await bus.advance(1);
    expect(bus.failed).toHaveLength(3);
    await bus.close();
  });

  it('dead-letters a NonRetryableError at once', async () => {
    const bus = await createTestBus({ plugins: [rejectsForGood] });
    await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.idle();
    expect(bus.failed).toHaveLength(1);
    expect(bus.deadLettered[0]!.headers).toMatchObject({ 'x-death-reason': 'non-retryable', 'x-attempts': 1, 'x-error-type': 'NonRetryableError' });
    await bus.close();
  });

  it('succeeds on a later attempt and then stops retrying', async () => {
    let calls = 0;
    const flaky = pluginWith(() => {
      calls++;
      if (calls < 2) throw new Error('transient');
    });
    const bus = await createTestBus({ plugins: [flaky] });
    await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.advance(60_000);
    expect(calls).toBe(2);
    expect(bus.consumed.map((e) => e.attempt)).toEqual([1, 2]);
    expect(bus.deadLettered).toEqual([]);
    await bus.close();
  });

  it('times a slow handler out, retries it and dead-letters it as handler-timeout', async () => {
    const slow = pluginWith(() => new Promise<void>(() => {}), { timeoutMs: 500 });
    const bus = await createTestBus({ plugins: [slow], config: { retry: { maxAttempts: 2, delayMs: 100 } } });
    await bus.publish('inventory.stock.level.changed', stockChanged());
    await bus.advance(500);
    expect(bus.failed).toHaveLength(1);
    expect((bus.failed[0]!.error as Error).name).toBe('HandlerTimeoutError');
    await bus.advance(600);
    expect(bus.deadLettered.map((d) => d.headers['x-death-reason'])).toEqual(['handler-timeout']);
    await bus.close();
  });

  it('keeps the dead-lettered body and properties and drops the message TTL', async () => {
    const bus = await createTestBus({ plugins: [rejectsForGood] });
    const event = await bus.publish('inventory.stock.level.changed', stockChanged(), { correlationId: 'corr-1', priority: 7 });
    await bus.idle();
    const [dead] = bus.transport.peek('stokcerdas.probe.watch.dlq');
    expect(JSON.parse(dead!.body.toString()).id).toBe(event.id);
    expect(dead!.properties).toMatchObject({ messageId: event.id, correlationId: 'corr-1', priority: 7, type: 'inventory.stock.level.changed' });
    expect(dead!.properties.expiration).toBeUndefined();
    await bus.close();
  });
});

describe('expiry in a work queue', () => {
  it('moves a message whose TTL runs out before it is consumed into the DLQ', async () => {
    const { createTestBus } = await import('stokcerdas/testing');
    const { pluginWith, stockChanged } = await import('./fixtures.ts');
    const bus = await createTestBus({ plugins: [pluginWith(() => {})], config: { bindings: { 'probe/watch': { enabled: false } } } });
    // nobody consumes the seed queue inventory.stock.updates: bind it and let a message expire there
    await bus.transport.assertTopology({ exchanges: [], queues: [], routes: [{ exchange: 'stokcerdas.inventory.events', queue: 'stokcerdas.inventory.stock.updates', routingKey: '#' }] });
    await bus.publish('inventory.stock.level.changed', stockChanged(), { ttl: 1000 });
    await bus.advance(1000);
    const dead = bus.transport.peek('stokcerdas.inventory.stock.updates.dlq');
    expect(dead).toHaveLength(1);
    expect(dead[0]!.properties.headers?.['x-death']).toEqual([expect.objectContaining({ reason: 'expired', queue: 'stokcerdas.inventory.stock.updates' })]);
    await bus.close();
  });
});
