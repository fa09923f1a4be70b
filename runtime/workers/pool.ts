import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { defaults } from '../../config/defaults.ts';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/schema.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { Invoker } from '../pipeline/invoke.ts';
import { LaneBoard } from './lanes.ts';
import { MOVE_GRACE_MS, Mover } from './mover.ts';
import type { WorkerResult, WorkerTask } from './protocol.ts';
import { closedError, createSend, type CallCounts } from './send.ts';
import { Slots } from './slots.ts';
import { validateWorkerModules, type WorkerModuleCheck } from './module-check.ts';

export interface WorkerPoolOptions {
  config: Pick<ResolvedConfig, 'workers'> & Partial<Pick<ResolvedConfig, 'shutdown'>>;
  logger: Logger;
  /** V8 limits per thread: a thread past them dies (ERR_WORKER_OUT_OF_MEMORY) and is replaced */
  resourceLimits?: ResourceLimits;
  /** how long importing one plugin module on a worker may take at start (default 30 s) */
  validateTimeoutMs?: number;
  /** tests only: how long a task may wait behind a busy thread before it is moved (MOVE_GRACE_MS) */
  moveGraceMs?: number;
}

export interface WorkerPoolStats extends Omit<CallCounts, 'busyMs'> {
  threads: number;
  maxThreads: number;
  /** share of the pool's thread time spent running tasks since it started (piscina) */
  utilisation: number;
  /** tasks queued in piscina plus calls waiting for room (back-pressure) */
  queueSize: number;
  /** calls waiting because the pool queue is full */
  waiting: number;
  running: number;
}

export interface WorkerPool {
  invoker: Invoker;
  stats(): WorkerPoolStats;
  /** Import each worker-mode plugin module once on a worker; the broken ones come back as problems. */
  validate: WorkerModuleCheck;
  close(): Promise<void>;
}

/**
 * What each thread loads. Compiled (dist/runtime/workers/pool.js), worker.js itself: plain JavaScript,
 * no TypeScript loader to register, so a new thread is ready in tens of ms. From the sources,
 * bootstrap.mjs registers tsx first.
 */
const BOOTSTRAP = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './bootstrap.mjs' : './worker.js', import.meta.url));
/**
 * Threads resolve 'stokcerdas' to its worker-thread entry (thread-api.ts): the public API without
 * the host's module graph. From the sources tsconfig's paths decide instead, and nothing changes.
 */
const THREAD_CONDITION = '--conditions=stokcerdas-worker-thread';
/** one task running on a thread and one waiting behind it */
const TASKS_PER_THREAD = 2;

/**
 * One piscina pool per host, shared by every worker-mode handler. Worker-mode calls go through `invoker`: the
 * event goes to a thread, the handler's publishes come back into `call.outbox` (the outbox
 * middleware sends them after success) and its log lines are replayed on the handler's logger.
 */
export async function createWorkerInvoker(options: WorkerPoolOptions): Promise<WorkerPool> {
  const { workers } = options.config;
  const logger = options.logger.child({ component: 'workers' });
  const maxThreads = Math.max(1, workers.maxThreads);
  const capacity = maxThreads + workers.maxQueue;
  const board = new LaneBoard(capacity);
  const pool = new Piscina<WorkerTask, WorkerResult>({
    filename: BOOTSTRAP,
    minThreads: Math.min(workers.minThreads, maxThreads),
    maxThreads,
    idleTimeout: workers.idleTimeoutMs,
    // a second task waits on each thread, so no thread idles while the main thread is busy
    // between one result and the next task; the board keeps a dying thread from taking it along
    concurrentTasksPerWorker: TASKS_PER_THREAD,
    workerData: board.shared,
    execArgv: [...process.execArgv, THREAD_CONDITION],
    // utilisation comes from the threads' own handler times (piscina's run time would count the
    // wait behind the running task); skipping piscina's histograms saves main-thread work per task
    recordTiming: false,
    // Slots keeps piscina's queue at or below maxQueue; the slack only absorbs threads that are
    // being replaced, so piscina never rejects a task with "queue at limit".
    maxQueue: workers.maxQueue + maxThreads,
    ...((options.resourceLimits ?? workers.resourceLimits) ? { resourceLimits: options.resourceLimits ?? workers.resourceLimits } : {}),
  });
  const slots = new Slots(capacity);
  const counts: CallCounts = { completed: 0, failed: 0, crashed: 0, aborted: 0, resent: 0, moved: 0, busyMs: 0 };
  let closed = false;
  const mover = new Mover(
    { pool, maxThreads, board, slots, graceMs: options.moveGraceMs ?? MOVE_GRACE_MS, isClosed: () => closed, onMove: () => void counts.moved++ },
    capacity,
  );

  // a thread that dies while idle (a stray timer throwing after its task finished) has no task to
  // fail: piscina emits it here, and an unhandled 'error' would take the whole host down
  pool.on('error', (err: unknown) => {
    counts.crashed++;
    logger.error({ err }, 'a worker thread died outside any task; the pool replaces it');
  });

  /** a task handed to piscina is queued until its handler starts, waiting on a thread included */
  const usage = () => {
    const running = board.running();
    return { queueSize: slots.inUse - running - mover.abandoned + slots.waiting, waiting: slots.waiting, running };
  };

  const terminating = new Set<Promise<unknown>>();
  const send = createSend({ pool, board, slots, mover, counts, logger, isClosed: () => closed, terminating });

  const invoker: Invoker = (call, ctx) => {
    const binding = call.binding;
    if (closed) return Promise.reject(closedError(binding.key));
    if (!binding.pluginFile) {
      return Promise.reject(
        new StokcerdasError(
          ErrorCodes.WORKER_FAILED,
          `${binding.key}: mode 'worker' needs the plugin's module file (define the plugin with definePlugin() in a module of its own)`,
          { handler: binding.key },
        ),
      );
    }
    const file = toUrl(binding.pluginFile);
    const signal = call.signal;
    const lane = slots.acquire(signal);
    return typeof lane === 'number' ? send(call, ctx, file, lane, signal) : lane.then((l) => send(call, ctx, file, l, signal));
  };

  return {
    invoker,
    validate: (bindings, optionsOf) =>
      validateWorkerModules(bindings, optionsOf, {
        run: (task) => pool.run(task, { signal: AbortSignal.timeout(options.validateTimeoutMs ?? 30_000) }),
        timeoutMs: options.validateTimeoutMs ?? 30_000,
        toUrl,
      }),
    stats: () => {
      const { busyMs, ...outcomes } = counts;
      return { threads: pool.threads.length, maxThreads, utilisation: utilisation(busyMs, pool.duration, maxThreads), ...usage(), ...outcomes };
    },
    async close() {
      if (closed) return;
      closed = true;
      mover.stop();
      // the host has drained its consumers already; anything still running past the deadline is
      // stuck, and a stuck thread must not keep the process alive
      const deadline = options.config.shutdown?.drainTimeoutMs ?? defaults.shutdown.drainTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadline);
      });
      // piscina 5.3.2's close() waits for every thread it counted at the start to report a task
      // done; a thread still exiting from a timeout never does, and close() would sit out its
      // 30 s closeTimeout. Let those exits land first.
      await Promise.allSettled([...terminating]);
      const outcome = await Promise.race([pool.close().then(() => 'closed' as const), forced]);
      clearTimeout(timer);
      if (outcome === 'timeout') await pool.destroy();
    },
  };
}

/** Handler time the threads reported over the thread time available since the pool started. */
function utilisation(busyMs: number, sinceMs: number, maxThreads: number): number {
  const availableMs = sinceMs * maxThreads;
  return availableMs > 0 ? Math.min(1, Math.round((busyMs / availableMs) * 1000) / 1000) : 0;
}

const urls = new Map<string, string>();

/** Folder plugins carry a path, definePlugin notes a file:// URL; import() wants a URL. */
function toUrl(file: string): string {
  if (file.startsWith('file:')) return file;
  let url = urls.get(file);
  if (url === undefined) urls.set(file, (url = pathToFileURL(file).href));
  return url;
}
