import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../runtime/errors.ts';
import { createTestBus, type TestBus } from '../../../runtime/testing/index.ts';
import basics from '../../fixtures/worker-plugins/basics.ts';
import { faults } from '../../fixtures/worker-plugins/faults.ts';
import broken from '../../fixtures/worker-plugins/broken.ts';

describe('worker handlers through the fake bus', () => {
  let bus: TestBus;
  beforeAll(async () => {
    bus = await createTestBus({ plugins: [basics, faults], options: { 'worker-basics': { region: 'jawa' } } });
  });
  afterAll(() => bus.close());
  const publishedOf = (type: string) => bus.published.filter((e) => e.type === type);

  it('runs a worker handler off the main thread and publishes what it emitted, caused by the event', async () => {
    const event = await bus.publish('inventory.worker.check', { sku: 'A-1', qty: 3 }, { tenantId: 'toko-1' });
    await bus.idle();
    expect(publishedOf('analytics.stock.checked')).toEqual([
      expect.objectContaining({
        causationid: event.id,
        tenantid: 'toko-1',
        data: expect.objectContaining({ sku: 'A-1', mainThread: false, options: { region: 'jawa' }, now: bus.clock.now() }),
      }),
    ]);
  });

  it('sends a batch handler one array per flush, on size and on virtual time', async () => {
    for (let i = 1; i <= 7; i++) await bus.publish('orders.worker.batch', { total: i });
    await bus.idle();
    expect(publishedOf('analytics.orders.summed').map((e) => e.data)).toEqual([{ count: 5, total: 15, mainThread: false }]);
    await bus.advance(1_000);
    expect(publishedOf('analytics.orders.summed').map((e) => e.data)).toEqual([
      { count: 5, total: 15, mainThread: false },
      { count: 2, total: 13, mainThread: false },
    ]);
  });

  it('retries a throwing worker handler, then dead-letters it with the original error type', async () => {
    await bus.publish('customers.customer.flaky', {});
    await bus.advance(5_000);
    expect(bus.failed.filter((f) => f.handler === 'worker-basics/throws').map((f) => f.attempt)).toEqual([1, 2]);
    expect(bus.deadLettered).toContainEqual(
      expect.objectContaining({
        headers: expect.objectContaining({ 'x-death-reason': 'retries-exhausted', 'x-attempts': 2, 'x-error-type': 'RangeError', 'x-error-message': 'sku out of range' }),
      }),
    );
    expect(publishedOf('analytics.never.sent')).toEqual([]);
  });

  it('dead-letters a NonRetryableError from a worker at once', async () => {
    await bus.publish('customers.customer.refused', {});
    await bus.idle();
    expect(bus.deadLettered).toContainEqual(
      expect.objectContaining({ headers: expect.objectContaining({ 'x-death-reason': 'non-retryable', 'x-attempts': 1, 'x-handler': 'worker-basics/refuses' }) }),
    );
  });

  it('explains that resolve() is not available in worker mode', async () => {
    await bus.publish('customers.customer.resolving', {});
    await bus.idle();
    const failure = bus.failed.find((f) => f.handler === 'worker-basics/resolves');
    expect(failure?.error).toMatchObject({ code: ErrorCodes.WORKER_FAILED, message: expect.stringContaining('cannot reach container services') });
  });

  it('retries the delivery of a crashed worker thread on a new thread', async () => {
    await bus.publish('analytics.fault.exit', { attempts: 2 });
    await bus.idle();
    expect(bus.failed.find((f) => f.handler === 'worker-faults/exits')?.error).toMatchObject({ code: ErrorCodes.WORKER_FAILED });
    // worker calls run in real time (a new thread takes ~1 s to start): advance() only waits 50 ms
    // for a handler that makes no progress, so idle() waits for the retry to finish
    await bus.advance(20);
    await bus.idle();
    expect(publishedOf('analytics.fault.survived').map((e) => e.data)).toEqual([{ attempt: 2 }]);
  });
});

describe('worker plugins checked at start', () => {
  it('refuses a worker-mode plugin object that has no module a thread can import', async () => {
    const plain = {
      name: 'plain-object',
      version: '1.0.0',
      handlers: { h: { subscribe: { routingKeys: ['inventory.worker.check'] }, mode: 'worker' as const, handle() {} } },
    };
    await expect(createTestBus({ plugins: [plain] })).rejects.toMatchObject({
      message: expect.stringContaining('has no module a worker thread can import'),
    });
  });

  it('refuses a module that fails to load on a worker thread, naming it and the cause', async () => {
    await expect(createTestBus({ plugins: [broken] })).rejects.toMatchObject({
      code: ErrorCodes.PLUGIN_LOAD_FAILED,
      message: expect.stringMatching(/worker-broken.*broken\.ts.*refuses to load on a worker thread/s),
    });
  });
});
