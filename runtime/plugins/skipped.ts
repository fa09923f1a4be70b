import type { PluginProblem } from './loader.ts';

/** A plugin the host started without (non-strict mode): what /stats, /readyz, the metrics and the ready line show. */
export interface SkippedPlugin {
  plugin: string;
  /** the first problem's code (STOKCERDAS_PLUGIN_INVALID, STOKCERDAS_PLUGIN_SETUP_FAILED, …) */
  code: string;
  message: string;
  file?: string;
  /** how many problems the plugin had (a broken plugin is skipped whole) */
  problems: number;
}

/** One entry per plugin, in the order the problems were found. */
export function skippedPlugins(problems: readonly PluginProblem[]): SkippedPlugin[] {
  const byPlugin = new Map<string, SkippedPlugin>();
  for (const p of problems) {
    const seen = byPlugin.get(p.plugin);
    if (seen) seen.problems++;
    else byPlugin.set(p.plugin, { plugin: p.plugin, code: p.error.code, message: p.error.message, ...(p.file ? { file: p.file } : {}), problems: 1 });
  }
  return [...byPlugin.values()];
}
