/**
 * The worker-thread side (loaded by bootstrap.mjs once tsx is registered). It imports plugin
 * modules itself — a function cannot cross threads — and runs one handler call per task.
 * Everything a handler does that must reach the main thread (publish, log) is collected and
 * returned with the outcome; a handler error is returned too, never thrown, so its name, code and
 * stack survive (structured clone keeps neither a custom name nor a code).
 */
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { HandlerDefinition, PluginDefinition } from '../plugins/types.ts';
import { createWorkerContext } from './worker-context.ts';
import { serializeError, type CheckTask, type HandleTask, type WorkerResult, type WorkerTask } from './protocol.ts';

const modules = new Map<string, Promise<Record<string, unknown>>>();
const handlers = new Map<string, HandlerDefinition>();

export default async function runTask(task: WorkerTask): Promise<WorkerResult> {
  return task.kind === 'check' ? check(task) : handle(task);
}

async function handle(task: HandleTask): Promise<WorkerResult> {
  const { ctx, publishes, logs } = createWorkerContext(task);
  try {
    const definition = await findHandler(task.file, task.plugin, task.handler);
    await definition.handle(task.payload, ctx);
  } catch (err) {
    return { ok: false, error: serializeError(err), publishes: [], logs: cloneable(logs) ? logs : [] };
  }
  // a handler's outbox must survive the trip back; say so here instead of failing inside piscina
  if (!cloneable(publishes)) {
    const err = new TypeError(`${task.key}: ctx.publish() data must be plain data (structured-cloneable) in worker mode`);
    return { ok: false, error: serializeError(err), publishes: [], logs: [] };
  }
  return { ok: true, publishes, logs };
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
    loading = import(file) as Promise<Record<string, unknown>>;
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
