/**
 * The worker-thread side: piscina's `filename` when compiled, loaded by bootstrap.mjs (tsx) from the
 * sources. It imports plugin modules itself — a function cannot cross threads — and runs one handler call per task.
 * Everything a handler does that must reach the main thread (publish, log) is collected and
 * returned with the outcome; a handler error is returned too, never thrown, so its name, code and
 * stack survive (structured clone keeps neither a custom name nor a code).
 */
import { performance } from 'node:perf_hooks';
import { threadId, workerData } from 'node:worker_threads';
import { importModule } from '../compiled/index.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { HandlerDefinition, PluginDefinition } from '../plugins/types.ts';
import { LaneBoard } from './lanes.ts';
import { createWorkerContext } from './worker-context.ts';
import { serializeError, type CheckTask, type HandleTask, type WorkerResult, type WorkerTask } from './protocol.ts';

const modules = new Map<string, Promise<Record<string, unknown>>>();
const handlers = new Map<string, HandlerDefinition>();
const board = LaneBoard.attach(workerData);
const SKIPPED: WorkerResult = { ok: false, skipped: true, publishes: [], logs: [] };
const noop = () => {};

// The pool may deliver a second task while one runs. Handlers still run one at a time: the
// waiting task has not started, so if this thread dies the pool sends it again elsewhere.
let previous: Promise<unknown> = Promise.resolve();

export default function runTask(task: WorkerTask): Promise<WorkerResult> {
  if (task.kind === 'check') return check(task);
  const result = previous.then(() => handle(task));
  previous = result.then(noop, noop);
  return result;
}

async function handle(task: HandleTask): Promise<WorkerResult> {
  const lane = board && task.lane !== undefined ? task.lane : undefined;
  if (lane !== undefined) {
    const start = board!.start(lane, threadId);
    if (start === 'skip') return SKIPPED;
    // this thread is being terminated for another call's timeout: wait for the end, and the pool
    // sends this task again
    if (start === 'doomed') return new Promise<never>(noop);
  }
  const { ctx, publishes, logs } = createWorkerContext(task);
  const started = performance.now();
  try {
    const definition = await findHandler(task.file, task.plugin, task.handler);
    await definition.handle(task.payload, ctx);
  } catch (err) {
    return { ok: false, error: serializeError(err), publishes: [], logs: cloneable(logs) ? logs : [], ms: performance.now() - started };
  } finally {
    if (lane !== undefined) board!.finish(lane);
  }
  const ms = performance.now() - started;
  // a handler's outbox must survive the trip back; say so here instead of failing inside piscina
  if (publishes.length > 0 && !cloneable(publishes)) {
    const err = new TypeError(`${task.key}: ctx.publish() data must be plain data (structured-cloneable) in worker mode`);
    return { ok: false, error: serializeError(err), publishes: [], logs: [], ms };
  }
  return { ok: true, publishes, logs, ms };
}

async function check(task: CheckTask): Promise<WorkerResult> {
  try {
    for (const handler of task.handlers) await findHandler(task.file, task.plugin, handler);
    return { ok: true, publishes: [], logs: [] };
  } catch (err) {
    return { ok: false, error: serializeError(err), publishes: [], logs: [] };
  }
}

async function findHandler(file: string, plugin: string, handler: string): Promise<HandlerDefinition> {
  const key = `${file}#${plugin}/${handler}`;
  const cached = handlers.get(key);
  if (cached) return cached;
  let loading = modules.get(file);
  if (!loading) {
    // compiled threads register tsx only when a TypeScript plugin module arrives
    loading = importModule(file);
    modules.set(file, loading);
    // a failed import is not cached: the next check reports the same cause instead of a stale one
    loading.catch(() => modules.delete(file));
  }
  const mod = await loading;
  const definition = findPlugin(mod, plugin)?.handlers[handler];
  if (!definition || typeof definition.handle !== 'function') {
    throw new StokcerdasError(
      ErrorCodes.PLUGIN_INVALID,
      findPlugin(mod, plugin)
        ? `${file}: plugin "${plugin}" has no handler "${handler}" with a handle() function when imported on a worker thread`
        : `${file}: exports no plugin named "${plugin}" (worker-mode handlers are imported from the module that calls definePlugin: export the plugin from it)`,
      { plugin, handler, file },
    );
  }
  handlers.set(key, definition);
  return definition;
}

/** The default export first, then any named export: a module may hold several plugins. */
function findPlugin(mod: Record<string, unknown>, name: string): PluginDefinition | undefined {
  const isIt = (v: unknown): v is PluginDefinition =>
    v !== null && typeof v === 'object' && (v as PluginDefinition).name === name && typeof (v as PluginDefinition).handlers === 'object';
  if (isIt(mod.default)) return mod.default;
  return Object.values(mod).find(isIt);
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}
