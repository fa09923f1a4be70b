import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, HandlerTimeoutError, NonRetryableError, StokcerdasError } from '../../../runtime/errors.ts';
import { VirtualClock } from '../../../runtime/clock/index.ts';
import { createWorkerInvoker, type WorkerPool } from '../../../runtime/workers/index.ts';
import basics from '../../fixtures/worker-plugins/basics.ts';
import { faults } from '../../fixtures/worker-plugins/faults.ts';
import { bindingOf, callOf, captureLogger, contextOf, event } from './helpers.ts';

const config = (over: Partial<{ minThreads: number; maxThreads: number; idleTimeoutMs: number; maxQueue: number }> = {}) => ({
  workers: { minThreads: 1, maxThreads: 2, idleTimeoutMs: 60_000, maxQueue: 100, ...over },
});

describe('worker invoker', () => {
  const { logger, lines } = captureLogger();
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await createWorkerInvoker({ config: config(), logger });
  });
  afterAll(() => pool.close());

  it('runs the handler on another thread and carries its publishes back into the outbox', async () => {
    const call = callOf(bindingOf(basics, 'echo', logger, { options: { region: 'jawa' } }), [event('inventory.worker.check', { sku: 'A-1', qty: 2 })], 2);
    await pool.invoker(call, contextOf(call));
    expect(call.outbox).toEqual([
      {
        type: 'analytics.stock.checked',
        data: expect.objectContaining({ sku: 'A-1', mainThread: false, attempt: 2, handler: 'worker-basics/echo', options: { region: 'jawa' }, zone: 'WIB' }),
      },
    ]);
  });

  it('replays the worker log lines on the handler logger, child bindings included', async () => {
    const call = callOf(bindingOf(basics, 'echo', logger), [event('inventory.worker.check', { sku: 'LOG-1', qty: 1 }, 'evt-log')]);
    await pool.invoker(call, contextOf(call));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 30, msg: 'checked stock in a worker', sku: 'LOG-1', eventId: 'evt-log' }),
        expect.objectContaining({ level: 20, msg: 'debug line', step: 'child', eventId: 'evt-log' }),
      ]),
    );
  });

  it('gives a batch handler the whole array in one task', async () => {
    const events = [1, 2, 3].map((n) => event('orders.worker.batch', { total: n * 10 }));
    const call = callOf(bindingOf(basics, 'sum', logger), events);
    await pool.invoker(call, contextOf(call));
    expect(call.outbox).toEqual([{ type: 'analytics.orders.summed', data: { count: 3, total: 60, mainThread: false } }]);
  });

  it('shows virtual time to the handler when the host runs on a virtual clock', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 5, 3, 0, 0));
    const call = callOf(bindingOf(basics, 'echo', logger), [event('inventory.worker.check', { sku: 'T', qty: 1 })]);
    await pool.invoker(call, contextOf(call, clock));
    expect((call.outbox[0]!.data as { now: number }).now).toBe(Date.UTC(2026, 0, 5, 3, 0, 0));
  });

  it('rejects with the thrown error name, message, code and stack, and discards the outbox', async () => {
    const call = callOf(bindingOf(basics, 'throws', logger), [event('customers.customer.flaky', {})]);
    const err = (await pool.invoker(call, contextOf(call)).catch((e: unknown) => e)) as Error & { code?: string };
    expect(err).toMatchObject({ name: 'RangeError', message: 'sku out of range', code: 'E_RANGE' });
    expect(err.stack).toContain('basics.ts');
    expect(call.outbox).toEqual([]);
    expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ level: 40, msg: 'about to fail' })]));
  });

  it('rebuilds a NonRetryableError so the retry policy still skips retries', async () => {
    const call = callOf(bindingOf(basics, 'refuses', logger), [event('customers.customer.refused', {})]);
    const err = await pool.invoker(call, contextOf(call)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect((err as Error).message).toBe('customer is blocked');
  });

  it('tells a worker handler that resolve() cannot reach container services', async () => {
    const call = callOf(bindingOf(basics, 'resolves', logger), [event('customers.customer.resolving', {})]);
    await expect(pool.invoker(call, contextOf(call))).rejects.toMatchObject({
      code: ErrorCodes.WORKER_FAILED,
      message: expect.stringContaining('ctx.resolve("calendar") is not available in worker mode'),
    });
  });

  it('counts completed and failed calls', () => {
    expect(pool.stats()).toMatchObject({ maxThreads: 2, completed: 4, failed: 3, crashed: 0, aborted: 0, waiting: 0 });
    expect(pool.stats().threads).toBeGreaterThanOrEqual(1);
  });
});

describe('worker invoker failures', () => {
  const { logger } = captureLogger('fatal');
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await createWorkerInvoker({ config: config({ maxThreads: 2 }), logger, resourceLimits: { maxOldGenerationSizeMb: 32 } });
  });
  afterAll(() => pool.close());
  const steady = async (n: number) => {
    const call = callOf(bindingOf(faults, 'steady', logger), [event('analytics.steady.tick', { n })]);
    await pool.invoker(call, contextOf(call));
    return call.outbox;
  };

  it('fails only the call whose thread exits, and the next call runs on a new thread', async () => {
    const crash = callOf(bindingOf(faults, 'exits', logger), [event('analytics.fault.exit', { attempts: 2 })], 1);
    const err = await pool.invoker(crash, contextOf(crash)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StokcerdasError);
    expect(err).toMatchObject({ code: ErrorCodes.WORKER_FAILED, message: expect.stringContaining('worker exited with code: 3') });
    expect(await steady(1)).toEqual([{ type: 'analytics.steady.tock', data: { n: 1 } }]);
    expect(pool.stats().crashed).toBe(1);
  });

  it('fails the call whose thread dies of an uncaught error', async () => {
    const call = callOf(bindingOf(faults, 'uncaught', logger), [event('analytics.fault.uncaught', {})]);
    await expect(pool.invoker(call, contextOf(call))).rejects.toMatchObject({ code: ErrorCodes.WORKER_FAILED, message: expect.stringContaining('stray timer blew up') });
    expect(await steady(2)).toHaveLength(1);
  });

  it('fails the call whose thread runs out of memory under resourceLimits', async () => {
    const call = callOf(bindingOf(faults, 'oom', logger), [event('analytics.fault.oom', {})]);
    await expect(pool.invoker(call, contextOf(call))).rejects.toMatchObject({ code: ErrorCodes.WORKER_FAILED, message: expect.stringContaining('out of memory') });
    expect(await steady(3)).toHaveLength(1);
  }, 20_000);

  it('terminates a looping thread when the call is aborted and rejects with the abort reason', async () => {
    const call = callOf(bindingOf(faults, 'loops', logger), [event('analytics.fault.loop', {})]);
    const started = Date.now();
    setTimeout(() => call.abort(new HandlerTimeoutError(call.binding.key, 300)), 300);
    const err = await pool.invoker(call, contextOf(call)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerTimeoutError);
    expect(Date.now() - started).toBeLessThan(5_000); // the loop runs 10 s unless terminated
    expect(await steady(4)).toHaveLength(1);
    expect(pool.stats()).toMatchObject({ aborted: 1, crashed: 3 });
  });
});

describe('worker invoker back-pressure', () => {
  const { logger } = captureLogger('fatal');

  it('makes callers wait when the pool queue is full instead of failing them', async () => {
    const pool = await createWorkerInvoker({ config: config({ maxThreads: 1, maxQueue: 1 }), logger });
    try {
      const calls = Array.from({ length: 6 }, () => callOf(bindingOf(basics, 'slow', logger), [event('analytics.slow.requested', { ms: 60 })]));
      const done = calls.map((c) => pool.invoker(c, contextOf(c)));
      // the thread may still be starting: nothing runs until it has imported the plugin
      while (pool.stats().running === 0) await new Promise((r) => setTimeout(r, 5));
      // one call running + one waiting behind it on the thread; the other four wait for room
      expect(pool.stats()).toMatchObject({ running: 1, waiting: 4, queueSize: 5 });
      await Promise.all(done);
      expect(pool.stats()).toMatchObject({ completed: 6, failed: 0, waiting: 0, queueSize: 0 });
    } finally {
      await pool.close();
    }
  });

  it('lets a waiting call leave the line when it is aborted', async () => {
    const pool = await createWorkerInvoker({ config: config({ maxThreads: 1, maxQueue: 1 }), logger });
    try {
      const calls = Array.from({ length: 3 }, () => callOf(bindingOf(basics, 'slow', logger), [event('analytics.slow.requested', { ms: 100 })]));
      const done = calls.map((c) => pool.invoker(c, contextOf(c)).then(() => 'ok', (e: unknown) => e));
      calls[2]!.abort(new HandlerTimeoutError(calls[2]!.binding.key, 1));
      expect(await Promise.all(done)).toEqual(['ok', 'ok', expect.any(HandlerTimeoutError)]);
      expect(pool.stats().waiting).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
