import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/schema.ts';
import { systemClock } from '../clock/index.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { Invoker } from '../pipeline/invoke.ts';
import type { HandlerCall } from '../pipeline/types.ts';
import type { HandlerContext } from '../plugins/types.ts';
import { rebuildError, type HandleTask, type LogRecord, type WorkerResult, type WorkerTask } from './protocol.ts';
import { Slots } from './slots.ts';
import { validateWorkerModules, type WorkerModuleCheck } from './validate.ts';

export interface WorkerPoolOptions {
  config: Pick<ResolvedConfig, 'workers'> & Partial<Pick<ResolvedConfig, 'shutdown'>>;
  logger: Logger;
  /** V8 limits per thread: a thread past them dies (ERR_WORKER_OUT_OF_MEMORY) and is replaced */
  resourceLimits?: ResourceLimits;
  /** how long importing one plugin module on a worker may take at start (default 30 s) */
  validateTimeoutMs?: number;
}

export interface WorkerPoolStats {
  threads: number;
  maxThreads: number;
  /** share of the pool's thread time spent running tasks since it started (piscina) */
  utilisation: number;
  /** tasks queued in piscina plus calls waiting for room (back-pressure) */
  queueSize: number;
  /** calls waiting because the pool queue is full */
  waiting: number;
  running: number;
  completed: number;
  /** handler threw (the thread lives on) */
  failed: number;
  /** the thread died under the task (exit, uncaught error, out of memory) and was replaced */
  crashed: number;
  /** stopped by call.signal (timeouts): the thread was terminated and replaced */
  aborted: number;
}

export interface WorkerPool {
  invoker: Invoker;
  stats(): WorkerPoolStats;
  /** Import each worker-mode plugin module once on a worker; the broken ones come back as problems. */
  validate: WorkerModuleCheck;
  close(): Promise<void>;
}

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));

/**
 * One piscina pool per host (DESIGN §1, issue 4). Worker-mode calls go through `invoker`: the
 * event goes to a thread, the handler's publishes come back into `call.outbox` (the outbox
 * middleware sends them after success) and its log lines are replayed on the handler's logger.
 */
export async function createWorkerInvoker(options: WorkerPoolOptions): Promise<WorkerPool> {
  const { workers } = options.config;
  const logger = options.logger.child({ component: 'workers' });
  const maxThreads = Math.max(1, workers.maxThreads);
  const pool = new Piscina<WorkerTask, WorkerResult>({
    filename: BOOTSTRAP,
    minThreads: Math.min(workers.minThreads, maxThreads),
    maxThreads,
    idleTimeout: workers.idleTimeoutMs,
    // Slots keeps piscina's queue at or below maxQueue; the slack only absorbs threads that are
    // being replaced, so piscina never rejects a task with "queue at limit".
    maxQueue: workers.maxQueue + maxThreads,
    ...((options.resourceLimits ?? workers.resourceLimits) ? { resourceLimits: options.resourceLimits ?? workers.resourceLimits } : {}),
  });
  const slots = new Slots(maxThreads + workers.maxQueue);
  const counts = { completed: 0, failed: 0, crashed: 0, aborted: 0 };
  let closed = false;

  // a thread that dies while idle (a stray timer throwing after its task finished) has no task to
  // fail: piscina emits it here, and an unhandled 'error' would take the whole host down
  pool.on('error', (err: unknown) => {
    counts.crashed++;
    logger.error({ err }, 'a worker thread died outside any task; the pool replaces it');
  });

  const run = (task: WorkerTask, signal?: AbortSignal) => pool.run(task, signal ? { signal } : {});

  const invoker: Invoker = async (call, ctx) => {
    const binding = call.binding;
    if (closed) throw new StokcerdasError(ErrorCodes.WORKER_FAILED, `${binding.key}: the worker pool is closed`, { handler: binding.key });
    if (!binding.pluginFile) {
      throw new StokcerdasError(
        ErrorCodes.WORKER_FAILED,
        `${binding.key}: mode 'worker' needs the plugin's module file (define the plugin with definePlugin() in a module of its own)`,
        { handler: binding.key },
      );
    }
    await slots.acquire(call.signal);
    let result: WorkerResult;
    try {
      result = await run(handleTask(call, ctx, toUrl(binding.pluginFile)), call.signal);
    } catch (err) {
      throw threadFailure(err, call);
    } finally {
      slots.release();
    }
    replay(result.logs, ctx.logger);
    if (!result.ok) {
      counts.failed++;
      throw rebuildError(result.error ?? { name: 'Error', message: 'worker handler failed' }, binding.key);
    }
    counts.completed++;
    for (const p of result.publishes) call.outbox.push(p);
  };

  /** piscina rejected: either our abort (timeout) or the thread died under the task. */
  const threadFailure = (err: unknown, call: HandlerCall): unknown => {
    if (call.signal.aborted) {
      counts.aborted++;
      return call.signal.reason ?? err;
    }
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

  return {
    invoker,
    validate: (bindings, optionsOf) =>
      validateWorkerModules(bindings, optionsOf, {
        run: (task) => run(task, AbortSignal.timeout(options.validateTimeoutMs ?? 30_000)),
        timeoutMs: options.validateTimeoutMs ?? 30_000,
        toUrl,
      }),
    stats: () => ({
      threads: pool.threads.length,
      maxThreads,
      utilisation: utilisation(pool, maxThreads),
      queueSize: pool.queueSize + slots.waiting,
      waiting: slots.waiting,
      running: Math.min(slots.inUse, pool.threads.length),
      ...counts,
    }),
    async close() {
      if (closed) return;
      closed = true;
      // the host has drained its consumers already; anything still running past the deadline is
      // stuck, and a stuck thread must not keep the process alive
      const deadline = options.config.shutdown?.drainTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadline);
      });
      const outcome = await Promise.race([pool.close().then(() => 'closed' as const), forced]);
      clearTimeout(timer);
      if (outcome === 'timeout') await pool.destroy();
    },
  };
}

function handleTask(call: HandlerCall, ctx: HandlerContext, file: string): HandleTask {
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
  };
}

function replay(logs: LogRecord[], logger: Logger): void {
  for (const r of logs) {
    if (r.obj) logger[r.level](r.obj, r.msg);
    else logger[r.level](r.msg ?? '');
  }
}

/**
 * Thread time spent in tasks over the thread time available since the pool started. Computed here
 * because piscina 5.3.2's `utilization` divides its millisecond mean by 1000 once too often.
 */
function utilisation(pool: Piscina, maxThreads: number): number {
  const mean = pool.histogram.runTime?.mean;
  const busyMs = Number.isFinite(mean) ? mean! * pool.completed : 0;
  const availableMs = pool.duration * maxThreads;
  return availableMs > 0 ? Math.min(1, Math.round((busyMs / availableMs) * 1000) / 1000) : 0;
}

/** Folder plugins carry a path, definePlugin notes a file:// URL; import() wants a URL. */
function toUrl(file: string): string {
  return file.startsWith('file:') ? file : pathToFileURL(file).href;
}
