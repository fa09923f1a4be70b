import type { PluginDefinition } from './types.ts';

/**
 * Gives a plugin object its types (options inferred from the zod schema) and nothing else:
 * the loader validates the shape at run time, so a plain object default export works as well.
 */
export function definePlugin<O>(def: PluginDefinition<O>): PluginDefinition<O> {
  return def;
}
