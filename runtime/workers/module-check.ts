import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { PluginProblem } from '../plugins/loader.ts';
import type { CheckTask, WorkerResult } from './protocol.ts';

/** What validation needs of a binding (a subset of ResolvedBinding). */
export interface WorkerBindingRef {
  plugin: string;
  handler: string;
  mode: 'inline' | 'worker';
  /** '' when unknown (a plugin object not made by definePlugin) */
  pluginFile: string;
}

export type WorkerModuleCheck = (bindings: readonly WorkerBindingRef[], optionsOf: (plugin: string) => unknown) => Promise<PluginProblem[]>;

interface CheckDeps {
  run(task: CheckTask): Promise<WorkerResult>;
  timeoutMs: number;
  toUrl(file: string): string;
}

/**
 * A worker-mode plugin module is imported once on a worker thread at start, so a
 * module that only breaks there (a syntax error tsx reports, a missing export, options that
 * cannot cross threads) is reported like any broken plugin — named, with its cause — and never
 * turns into threads failing delivery after delivery. One check task per plugin, in sequence.
 */
export async function validateWorkerModules(
  bindings: readonly WorkerBindingRef[],
  optionsOf: (plugin: string) => unknown,
  deps: CheckDeps,
): Promise<PluginProblem[]> {
  const byPlugin = new Map<string, { file: string; handlers: string[] }>();
  for (const b of bindings) {
    if (b.mode !== 'worker') continue;
    const entry = byPlugin.get(b.plugin) ?? { file: b.pluginFile, handlers: [] };
    entry.handlers.push(b.handler);
    byPlugin.set(b.plugin, entry);
  }
  const problems: PluginProblem[] = [];
  for (const [plugin, { file, handlers }] of byPlugin) {
    const label = `plugin "${plugin}"${file ? ` (${shortPath(file, deps.toUrl)})` : ''}`;
    const problem = (code: (typeof ErrorCodes)[keyof typeof ErrorCodes], message: string, cause?: unknown) =>
      problems.push({
        plugin,
        ...(file ? { file } : {}),
        error: new StokcerdasError(code, `${label}: ${message}`, { plugin, handlers }, cause === undefined ? undefined : { cause }),
      });
    // keyed like `bindings` in the config, so the message points at what to override or disable
    const names = handlers.map((h) => `"${plugin}/${h}"`).join(', ');
    if (!file) {
      problem(
        ErrorCodes.PLUGIN_INVALID,
        `handler ${names} runs in worker mode but the plugin has no module a worker thread can import ` +
          `(it was given as an object not made by definePlugin): define it with definePlugin() in a module of its own, or use mode: 'inline'`,
      );
      continue;
    }
    const options = optionsOf(plugin);
    try {
      structuredClone(options);
    } catch (err) {
      problem(ErrorCodes.PLUGIN_OPTIONS_INVALID, `options must be plain data to reach worker threads (handler ${names}): ${(err as Error).message}`, err);
      continue;
    }
    let result: WorkerResult;
    try {
      result = await deps.run({ kind: 'check', file: deps.toUrl(file), plugin, handlers, options });
    } catch (err) {
      const reason = (err as Error)?.name === 'AbortError' ? `did not finish importing within ${deps.timeoutMs} ms` : `crashed: ${(err as Error)?.message ?? err}`;
      problem(ErrorCodes.PLUGIN_LOAD_FAILED, `a worker thread importing the module for handler ${names} ${reason}`, err);
      continue;
    }
    if (!result.ok) {
      const e = result.error!;
      const code = e.code === ErrorCodes.PLUGIN_INVALID ? ErrorCodes.PLUGIN_INVALID : ErrorCodes.PLUGIN_LOAD_FAILED;
      const first = e.message.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ');
      problem(code, `cannot be loaded on a worker thread for handler ${names}: ${e.name}: ${first} (fix it, or add "${plugin}" to plugins.disabled)`);
    }
  }
  return problems;
}

function shortPath(file: string, toUrl: (f: string) => string): string {
  try {
    return relative(process.cwd(), fileURLToPath(toUrl(file))) || file;
  } catch {
    return file;
  }
}
