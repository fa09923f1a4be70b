/**
 * Each thread holds a second call behind the one it runs (so it never idles between tasks). These
 * pin down that the waiting call does not share the fate of the running one: one thread, two calls.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, HandlerTimeoutError } from '../../../runtime/errors.ts';
import type { HandlerCall } from '../../../runtime/pipeline/types.ts';
import { createWorkerInvoker, type WorkerPool } from '../../../runtime/workers/index.ts';
import basics from '../../fixtures/worker-plugins/basics.ts';
import { faults } from '../../fixtures/worker-plugins/faults.ts';
import { bindingOf, callOf, captureLogger, contextOf, event } from './helpers.ts';

const { logger } = captureLogger('fatal');
const oneThread = () => createWorkerInvoker({ config: { workers: { minThreads: 1, maxThreads: 1, idleTimeoutMs: 60_000, maxQueue: 4 } }, logger });
const settle = (pool: WorkerPool, call: HandlerCall) => pool.invoker(call, contextOf(call)).then(() => 'ok' as const, (e: unknown) => e);
const steady = (n: number) => callOf(bindingOf(faults, 'steady', logger), [event('analytics.steady.tick', { n })]);

describe('two calls on one thread', () => {
  it('sends the waiting call again when the running one crashes the thread', async () => {
    const pool = await oneThread();
    try {
      const crash = callOf(bindingOf(faults, 'exits', logger), [event('analytics.fault.exit', { attempts: 2 })]);
      const behind = steady(1);
      const [crashed, waited] = await Promise.all([settle(pool, crash), settle(pool, behind)]);
      expect(crashed).toMatchObject({ code: ErrorCodes.WORKER_FAILED, message: expect.stringContaining('worker exited with code: 3') });
      expect(waited).toBe('ok');
      expect(behind.outbox).toEqual([{ type: 'analytics.steady.tock', data: { n: 1 } }]);
      expect(pool.stats()).toMatchObject({ crashed: 1, resent: 1, completed: 1 });
    } finally {
      await pool.close();
    }
  });

  it('sends the waiting call again when the running one times out and its thread is terminated', async () => {
    const pool = await oneThread();
    try {
      const loop = callOf(bindingOf(faults, 'loops', logger), [event('analytics.fault.loop', {})]);
      const behind = steady(2);
      const outcomes = Promise.all([settle(pool, loop), settle(pool, behind)]);
      while (pool.stats().running === 0) await new Promise((r) => setTimeout(r, 5));
      loop.abort(new HandlerTimeoutError(loop.binding.key, 50));
      const [timedOut, waited] = await outcomes;
      expect(timedOut).toBeInstanceOf(HandlerTimeoutError);
      expect(waited).toBe('ok');
      expect(pool.stats()).toMatchObject({ aborted: 1, crashed: 0, resent: 1, completed: 1 });
    } finally {
      await pool.close();
    }
  });

  it('skips a waiting call aborted before it starts, without touching the running one', async () => {
    const pool = await oneThread();
    try {
      const slow = callOf(bindingOf(basics, 'slow', logger), [event('analytics.slow.requested', { ms: 300 })]);
      // were it run, this 10-second loop would hold the only thread and the last call would wait
      const loop = callOf(bindingOf(faults, 'loops', logger), [event('analytics.fault.loop', {})]);
      const outcomes = Promise.all([settle(pool, slow), settle(pool, loop)]);
      while (pool.stats().running === 0) await new Promise((r) => setTimeout(r, 5));
      loop.abort(new HandlerTimeoutError(loop.binding.key, 50));
      expect(await outcomes).toEqual(['ok', expect.any(HandlerTimeoutError)]);
      const started = Date.now();
      expect(await settle(pool, steady(3))).toBe('ok');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(pool.stats()).toMatchObject({ aborted: 1, crashed: 0, resent: 0, completed: 2 });
      expect(pool.stats().utilisation).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
