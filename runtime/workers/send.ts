/**
 * One worker-mode call, from its slot to its outcome. Kept apart from pool.ts, which wires the
 * pool: this is the part that decides what a thread's death or an abort means for a call.
 */
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { systemClock } from '../clock/index.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { HandlerCall } from '../pipeline/types.ts';
import type { HandlerContext } from '../plugins/types.ts';
import type { LaneBoard } from './lanes.ts';
import type { Movable, Mover } from './mover.ts';
import { rebuildError, type HandleTask, type LogRecord, type WorkerResult, type WorkerTask } from './protocol.ts';
import type { Slots } from './slots.ts';

/** a call is sent again only when its thread died before it started; this stops a spawn loop */
const MAX_RESENDS = 3;

/** How worker-mode calls ended, counted since the pool started (the pool's stats report them). */
export interface CallCounts {
  completed: number;
  /** handler threw (the thread lives on) */
  failed: number;
  /** the thread died under the task (exit, uncaught error, out of memory) and was replaced */
  crashed: number;
  /** stopped by call.signal (timeouts): a running one's thread was terminated and replaced */
  aborted: number;
  /** sent again because the thread they waited on died before they started (not a failure) */
  resent: number;
  /** moved, before they started, off a thread busy with another handler to one with nothing to do */
  moved: number;
  /** handler time reported by the threads, for the pool's utilisation */
  busyMs: number;
}

export interface SendDeps {
  pool: Piscina<WorkerTask, WorkerResult>;
  board: LaneBoard;
  slots: Slots;
  mover: Mover;
  counts: CallCounts;
  logger: Logger;
  isClosed(): boolean;
  /** threads being terminated until they have exited (the pool waits for them before closing) */
  terminating: Set<Promise<unknown>>;
}

export type Send = (call: HandlerCall, ctx: HandlerContext, file: string, lane: number, signal: AbortSignal) => Promise<void>;

/**
 * Settles on the worker's result, on the death of its thread, or at once when the call is aborted
 * (a timeout): then a queued task is skipped, a running one's thread is terminated and replaced.
 * A task whose thread died before it started (another call crashed or was terminated there) is
 * sent again instead of failing: only the call that was running pays for a dying thread.
 */
export function createSend({ pool, board, slots, mover, counts, logger, isClosed, terminating }: SendDeps): Send {
  const terminate = (thread: number) => {
    // piscina sees the exit, fails the thread's tasks and starts a replacement
    for (const worker of pool.threads) {
      if (worker.threadId !== thread) continue;
      const exited: Promise<void> = worker.terminate().then(
        () => void terminating.delete(exited),
        () => void terminating.delete(exited),
      );
      terminating.add(exited);
    }
  };

  const threadFailure = (err: unknown, call: HandlerCall): unknown => {
    if ((err as Error)?.name === 'DataCloneError') {
      // not a crash: the call could not be sent (a value in the event or options is not plain data)
      counts.failed++;
      return new StokcerdasError(ErrorCodes.WORKER_FAILED, `${call.binding.key}: the call cannot be sent to a worker thread: ${(err as Error).message}`, { handler: call.binding.key }, { cause: err });
    }
    counts.crashed++;
    const cause = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const first = call.events[0];
    logger.error(
      { err, handler: call.binding.key, eventId: call.events.length === 1 ? first?.id : undefined, batchSize: call.events.length > 1 ? call.events.length : undefined, type: first?.type, tenant: first?.tenantid, correlationId: first?.correlationid },
      'worker thread died while running a handler; the pool replaces it',
    );
    return new StokcerdasError(
      ErrorCodes.WORKER_FAILED,
      `${call.binding.key}: the worker thread died while running this handler (${cause}); the pool replaces the thread and the delivery follows its retry policy`,
      { handler: call.binding.key, code: (err as { code?: unknown })?.code },
      { cause: err },
    );
  };

  const shared: Shared = { pool, board, slots, mover, counts, isClosed, terminate, threadFailure };
  return (call, ctx, file, lane, signal) => {
    if (signal.aborted) {
      // aborted between the slot's grant and now
      slots.release(lane);
      return Promise.reject(signal.reason);
    }
    return new WorkerCall(shared, call, ctx, handleTask(call, ctx, file, lane), signal).settled;
  };
}

interface Shared extends Pick<SendDeps, 'pool' | 'board' | 'slots' | 'mover' | 'counts' | 'isClosed'> {
  terminate(thread: number): void;
  threadFailure(err: unknown, call: HandlerCall): unknown;
}

/**
 * One call in flight. A class rather than a handful of closures: this runs for every worker-mode
 * delivery, and the main thread's time per call is what the pool's speed-up is made of.
 *
 * Once moved (mover.ts) a call has two tasks in piscina: the skipped copy on the lane it left and
 * the live one on `lane`. Only the live one's outcome counts; the other only gives its lane back.
 */
class WorkerCall implements Movable {
  readonly settled: Promise<void>;
  queuedAt = 0;
  moves = 0;
  private resolve!: () => void;
  private reject!: (err: unknown) => void;
  private resends = 0;
  private lane: number;

  constructor(
    private readonly shared: Shared,
    private readonly call: HandlerCall,
    private readonly ctx: HandlerContext,
    private task: HandleTask,
    private readonly signal: AbortSignal,
  ) {
    this.lane = task.lane!;
    this.settled = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    signal.addEventListener('abort', this, { once: true });
    this.send();
  }

  /** The signal's 'abort' (EventTarget calls handleEvent on a listener object). */
  handleEvent(): void {
    const { board, counts, terminate } = this.shared;
    counts.aborted++;
    const thread = board.cancel(this.lane);
    if (thread !== 0) terminate(thread);
    this.reject(this.signal.reason);
  }

  /** The abort listener stays: the timeout clock runs from the call's start, wherever it runs. */
  moveTo(lane: number): void {
    this.moves++;
    this.lane = lane;
    this.task = { ...this.task, lane };
    this.send();
  }

  private send(): void {
    const { board, mover, pool } = this.shared;
    const lane = this.lane;
    board.queue(lane);
    this.queuedAt = performance.now();
    mover.queued(lane, this);
    pool.run(this.task).then(
      (result) => this.onResult(result, lane),
      (err: unknown) => this.onRejected(err, lane),
    );
  }

  /** The lane is reused only once piscina is done with its task, whatever the caller saw. */
  private free(lane: number): void {
    const { board, mover, slots } = this.shared;
    board.free(lane);
    mover.settled(lane, lane !== this.lane);
    slots.release(lane);
  }

  private release(): void {
    this.signal.removeEventListener('abort', this);
    this.free(this.lane);
  }

  private onResult(result: WorkerResult, lane: number): void {
    // the copy a move left behind, skipped by its thread
    if (lane !== this.lane) return this.free(lane);
    const { counts } = this.shared;
    this.release();
    counts.busyMs += result.ms ?? 0;
    if (this.signal.aborted) return;
    // reading ctx.logger builds a child logger: only when there is something to replay
    if (result.logs.length > 0) replay(result.logs, this.ctx.logger);
    if (result.ok) {
      counts.completed++;
      for (const p of result.publishes) this.call.outbox.push(p);
      this.resolve();
    } else {
      counts.failed++;
      this.reject(rebuildError(result.error ?? { name: 'Error', message: 'worker handler failed' }, this.call.binding.key));
    }
  }

  private onRejected(err: unknown, lane: number): void {
    // the copy a move left behind: its thread died before reaching it, which is no failure of this call
    if (lane !== this.lane) return this.free(lane);
    const { board, counts, isClosed, threadFailure } = this.shared;
    const neverStarted = board.neverStarted(this.lane);
    // its thread died before the handler started (another call crashed or timed out there)
    if (neverStarted && !this.signal.aborted && !isClosed() && this.resends < MAX_RESENDS && (err as Error)?.name !== 'DataCloneError') {
      this.resends++;
      counts.resent++;
      this.send();
      return;
    }
    this.release();
    if (this.signal.aborted) return;
    this.reject(neverStarted && isClosed() ? closedError(this.call.binding.key) : threadFailure(err, this.call));
  }
}

export function closedError(key: string): StokcerdasError {
  return new StokcerdasError(ErrorCodes.WORKER_FAILED, `${key}: the worker pool is closed`, { handler: key });
}

function handleTask(call: HandlerCall, ctx: HandlerContext, file: string, lane: number): HandleTask {
  const b = call.binding;
  return {
    kind: 'handle',
    file,
    plugin: b.plugin,
    handler: b.handler,
    key: b.key,
    payload: b.batch ? call.events : call.events[0]!,
    attempt: call.attempt,
    options: b.options,
    // virtual time (the fake bus) cannot tick on another thread: the handler sees dispatch time
    ...(ctx.clock === systemClock ? {} : { frozenNow: ctx.clock.now() }),
    logLevel: b.logger.level,
    lane,
  };
}

function replay(logs: LogRecord[], logger: Logger): void {
  for (const r of logs) {
    if (r.obj) logger[r.level](r.obj, r.msg);
    else logger[r.level](r.msg ?? '');
  }
}
