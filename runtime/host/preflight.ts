import type { ResolvedConfig } from '../../config/schema.ts';
import { formatPath } from '../../config/problems.ts';
import { indonesianContextConfigSchema } from '../context/indonesia/config.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import { httpConfigProblems } from '../http/auth.ts';
import { createLogger } from '../observability/logger.ts';
import { loadPluginObjects, loadPlugins, resolveBindings, type LoadedPlugin, type PluginProblem, type ResolvedBinding } from '../plugins/index.ts';
import type { PluginDefinition } from '../plugins/types.ts';

/**
 * Everything `start` checks before it touches the broker, and all that `check` does: one function,
 * so the two can never disagree about what is a problem.
 */

/** Imports worker-mode modules on a worker thread; the modules that fail there come back as problems. */
export type WorkerModuleCheck = (bindings: ResolvedBinding[], optionsOf: (plugin: string) => unknown) => Promise<PluginProblem[]>;

export interface PreflightProblem {
  /** the plugin concerned; absent for a config problem */
  plugin?: string;
  file?: string;
  error: StokcerdasError;
}

export interface PreflightOptions {
  /** plugins given as objects: discovery of `plugins.dir` is skipped */
  plugins?: PluginDefinition[];
  /** default: a one-thread pool opened for the check and closed after it */
  checkWorkers?: WorkerModuleCheck;
}

export interface Preflight {
  /** config problems first, then each plugin's, in the order they were found */
  problems: PreflightProblem[];
  plugins: LoadedPlugin[];
  /** every handler's binding, the disabled ones included */
  bindings: ResolvedBinding[];
}

/**
 * The rules a resolved config must meet beyond its schema's shape, as `path: message`: a server
 * reachable from other machines needs a token; the context names Indonesian zones and known
 * provinces (only the calendar knows which those are, so config/ cannot check it).
 */
export function configProblems(config: ResolvedConfig): string[] {
  const problems = httpConfigProblems(config.http);
  const context = indonesianContextConfigSchema.safeParse(config.context);
  if (!context.success) problems.push(...context.error.issues.map((i) => `${formatPath(['context', ...i.path])}: ${i.message}`));
  return problems;
}

/** (config, cwd) → every problem `start` would meet before connecting, and what it loaded. */
export async function preflight(config: ResolvedConfig, cwd: string | undefined, options: PreflightOptions = {}): Promise<Preflight> {
  const problems: PreflightProblem[] = configProblems(config).map((message) => ({
    error: new StokcerdasError(ErrorCodes.CONFIG_INVALID, message, { path: message.slice(0, message.indexOf(':')) }),
  }));
  const loaded = options.plugins
    ? loadPluginObjects(options.plugins, { options: config.plugins.options, disabled: config.plugins.disabled })
    : await loadPlugins({ ...config.plugins, cwd });
  problems.push(...loaded.problems);
  const resolved = resolveBindings(loaded.plugins, config, { ignorePlugins: loaded.problems.map((p) => p.plugin) });
  problems.push(...resolved.problems);
  const broken = new Set(problems.map((p) => p.plugin));
  const workerBindings = resolved.bindings.filter((b) => b.mode === 'worker' && b.enabled && !broken.has(b.plugin));
  if (workerBindings.length > 0) {
    const options_ = new Map(loaded.plugins.map((p) => [p.name, p.options]));
    const check = options.checkWorkers ?? checkWorkerModulesOnce(config);
    problems.push(...(await check(workerBindings, (name) => options_.get(name))));
  }
  return { problems, plugins: loaded.plugins, bindings: resolved.bindings };
}

/**
 * For `check`, which has no pool of its own: one thread is enough, and piscina is loaded only when
 * a handler runs in worker mode. A thread still stuck in an import is destroyed after a short wait.
 */
function checkWorkerModulesOnce(config: ResolvedConfig): WorkerModuleCheck {
  return async (bindings, optionsOf) => {
    const { createWorkerInvoker } = await import('../workers/index.ts');
    const pool = await createWorkerInvoker({
      config: { workers: { ...config.workers, minThreads: 1, maxThreads: 1 }, shutdown: { drainTimeoutMs: 1_000 } },
      logger: createLogger({ level: 'warn' }),
    });
    try {
      return await pool.validate(bindings, optionsOf);
    } finally {
      await pool.close();
    }
  };
}
