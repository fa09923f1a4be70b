/**
 * A loop in one binding's handler never stalls another binding. Each thread holds a
 * second task behind the one it runs; behind a loop, that task is moved to a thread with nothing
 * to do instead of waiting for the loop's timeout. Every task still runs exactly once.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { HandlerTimeoutError } from '../../../runtime/errors.ts';
import type { HandlerCall } from '../../../runtime/pipeline/types.ts';
import { LaneBoard } from '../../../runtime/workers/lanes.ts';
import { createWorkerInvoker, type WorkerPool } from '../../../runtime/workers/index.ts';
import { faults } from '../../fixtures/worker-plugins/faults.ts';
import { bindingOf, callOf, captureLogger, contextOf, event } from './helpers.ts';
import { moving, type Spin } from './moving-plugin.ts';

const { logger } = captureLogger('fatal');
const twoThreads = (moveGraceMs?: number, minThreads = 2) =>
  createWorkerInvoker({
    config: { workers: { minThreads, maxThreads: 2, idleTimeoutMs: 60_000, maxQueue: 100 } },
    logger,
    ...(moveGraceMs === undefined ? {} : { moveGraceMs }),
  });
const spinCall = (handler: 'long' | 'quick', data: Spin, timeoutMs = 5_000) =>
  callOf(bindingOf(moving, handler, logger, { timeoutMs }), [event(`analytics.spin.${handler}`, data)]);
const settle = (pool: WorkerPool, call: HandlerCall) => pool.invoker(call, contextOf(call)).then(() => 'ok' as const, (e: unknown) => e);
const timed = async (pool: WorkerPool, call: HandlerCall) => {
  const started = performance.now();
  const outcome = await settle(pool, call);
  return { outcome, ms: performance.now() - started };
};
const runsOf = (runs: SharedArrayBuffer) => Array.from(new Int32Array(runs));

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Both threads up with the plugin imported, so the test's tasks land where piscina's balancer says. */
async function warm(pool: WorkerPool): Promise<void> {
  const runs = new SharedArrayBuffer(4 * 4);
  await Promise.all([0, 1, 2, 3].map((cell) => settle(pool, spinCall('quick', { ms: 30, runs, cell }))));
  await until(() => pool.stats().threads === 2 && pool.stats().queueSize === 0, 5_000, 'pool warm');
}

/** Everything settled, skipped tasks of moved calls included: only then is a second run ruled out. */
const drained = (pool: WorkerPool) => until(() => pool.stats().running === 0 && pool.stats().queueSize === 0, 5_000, 'pool drained');

describe('a task queued behind a busy thread', () => {
  it('is decided by one compare-exchange: moved and skipped by its thread, or started and left alone', () => {
    const board = new LaneBoard(2);
    const view = LaneBoard.attach(board.shared)!;
    board.queue(0);
    expect(board.move(0)).toBe(true);
    expect(view.start(0, 7)).toBe('skip');
    board.queue(1);
    expect(view.start(1, 7)).toBe('run');
    expect(board.move(1)).toBe(false);
  });

  // Order, not time, is asserted: on a loaded machine a thread's start-up alone has taken 2.4 s, so
  // each loop spins long enough that "done before the loop ends" cannot be luck either way.
  it('runs on the idle thread while another binding loops on the other, done before the loop ends', async () => {
    const pool = await twoThreads();
    try {
      await warm(pool);
      const movedBefore = pool.stats().moved;
      const runs = new SharedArrayBuffer(4 * 21);
      // the loop takes the first thread; then the quick calls alternate, so one waits behind it
      const long = spinCall('long', { ms: 6_000, runs, cell: 0 }, 20_000);
      const timeout = setTimeout(() => long.abort(new HandlerTimeoutError(long.binding.key, 20_000)), 20_000);
      let looping = true;
      const longDone = timed(pool, long).finally(() => {
        looping = false;
        clearTimeout(timeout);
      });
      const quick = Array.from({ length: 20 }, (_, i) => spinCall('quick', { ms: 2, runs, cell: i + 1 }));
      const quickDone = await Promise.all(quick.map((call) => timed(pool, call)));

      expect(quickDone.map((q) => q.outcome)).toEqual(quick.map(() => 'ok'));
      expect(looping).toBe(true);
      expect(pool.stats().moved).toBeGreaterThan(movedBefore);
      const { outcome, ms } = await longDone;
      expect(outcome).toBe('ok');
      expect(ms).toBeGreaterThanOrEqual(5_900);
      expect(long.outbox).toEqual([{ type: 'analytics.spin.done', data: expect.objectContaining({ cell: 0 }) }]);
      await drained(pool);
      expect(runsOf(runs)).toEqual(Array.from({ length: 21 }, () => 1));
      expect(quick.map((c) => c.outbox.length)).toEqual(quick.map(() => 1));
      expect(pool.stats()).toMatchObject({ aborted: 0, crashed: 0, failed: 0 });
    } finally {
      await pool.close();
    }
  }, 40_000);

  it('starts a second thread for it when the pool runs one thread and that one loops (minThreads 1, the default)', async () => {
    const pool = await twoThreads(undefined, 1);
    try {
      const runs = new SharedArrayBuffer(4 * 3);
      expect(await settle(pool, spinCall('quick', { ms: 1, runs, cell: 2 }))).toBe('ok');
      expect(pool.stats().threads).toBe(1);
      let looping = true;
      const long = settle(pool, spinCall('long', { ms: 8_000, runs, cell: 0 }, 20_000)).finally(() => (looping = false));
      const behind = await settle(pool, spinCall('quick', { ms: 1, runs, cell: 1 }, 20_000));
      expect(behind).toBe('ok');
      // it waited for a new thread's start-up, not for the loop's 8 s
      expect(looping).toBe(true);
      expect(pool.stats()).toMatchObject({ threads: 2, moved: 1 });
      expect(await long).toBe('ok');
      await drained(pool);
      expect(runsOf(runs)).toEqual([1, 1, 1]);
    } finally {
      await pool.close();
    }
  }, 40_000);

  it('can still be aborted once moved: its new thread is terminated and replaced', async () => {
    const pool = await twoThreads();
    try {
      await warm(pool);
      const before = pool.stats();
      const runs = new SharedArrayBuffer(4 * 2);
      const long = spinCall('long', { ms: 6_000, runs, cell: 0 }, 20_000);
      const filler = spinCall('quick', { ms: 50, runs, cell: 1 });
      // lands behind the long call; were it never moved, it would not start before the long call ends
      const loop = callOf(bindingOf(faults, 'loops', logger), [event('analytics.fault.loop', {})]);
      let looping = true;
      const outcomes = Promise.all([settle(pool, long).finally(() => (looping = false)), settle(pool, filler), settle(pool, loop).then((o) => ({ outcome: o, looping }))]);
      await until(() => pool.stats().moved > before.moved && pool.stats().running === 2, 5_000, 'loop moved and started');
      loop.abort(new HandlerTimeoutError(loop.binding.key, 500));
      const [longOutcome, fillerOutcome, looped] = await outcomes;
      expect(looped.outcome).toBeInstanceOf(HandlerTimeoutError);
      // the abort ended it where it ran, without waiting for the long call on the other thread
      expect(looped.looping).toBe(true);
      expect([longOutcome, fillerOutcome]).toEqual(['ok', 'ok']);
      await drained(pool);
      expect(await settle(pool, spinCall('quick', { ms: 1, runs, cell: 1 }))).toBe('ok');
      expect(pool.stats()).toMatchObject({ aborted: 1, crashed: 0, moved: before.moved + 1, completed: before.completed + 3 });
    } finally {
      await pool.close();
    }
  }, 40_000);

  it('runs every task exactly once when moves race the threads about to start them', async () => {
    // a 1 ms grace moves a task as its thread finishes the one in front: both sides race for its lane
    const pool = await twoThreads(1);
    try {
      await warm(pool);
      const rounds = 300;
      const runs = new SharedArrayBuffer(4 * rounds * 4);
      const outcomes: unknown[] = [];
      for (let r = 0; r < rounds; r++) {
        const calls = [
          spinCall('quick', { ms: 0.5 + (r % 8) * 0.5, runs, cell: r * 4 }),
          ...[1, 2, 3].map((k) => spinCall('quick', { ms: 0, runs, cell: r * 4 + k })),
        ];
        outcomes.push(...(await Promise.all(calls.map((call) => settle(pool, call)))));
      }
      await drained(pool);
      expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
      expect(runsOf(runs).filter((n) => n !== 1)).toEqual([]);
      expect(pool.stats().moved).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  }, 30_000);
});
