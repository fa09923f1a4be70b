import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PluginDefinition } from './types.ts';
import type { DefinedPlugin, EventSchemas, TypedPlugin } from './typed.ts';

/**
 * The module that called `definePlugin`, so worker-mode handlers of a plugin given as an object
 * (the fake bus, `createHost({ plugins })`) can be imported again on a worker thread. A symbol,
 * not enumerable: the plugin object stays what its author wrote.
 */
const DEFINED_IN = Symbol.for('stokcerdas.plugin.definedIn');

/**
 * Gives a plugin object its types and nothing else: each handler's `event` is inferred from its
 * routing keys (an array with `batch`), `ctx.options` from the `options` schema, and `publish`
 * checks a known type's payload. The loader validates the shape at run time, so a plain object
 * default export works as well. It also notes the calling module's file URL (see `pluginSourceFile`).
 */
export function definePlugin<
  const Handlers extends Record<string, readonly string[]>,
  const Batches,
  Options = unknown,
  const Events extends EventSchemas = {},
>(plugin: TypedPlugin<Handlers, Batches, Options, Events>): DefinedPlugin<Options> {
  // every typed handler is a runtime handler: its narrower `handle` is one of the shapes the runtime calls
  const def = plugin as unknown as PluginDefinition<Options>;
  if (def !== null && typeof def === 'object' && !Object.hasOwn(def, DEFINED_IN)) {
    const file = callerFile(new Error().stack);
    // a frozen object cannot take the note: its worker handlers then report "no module file"
    if (file && Object.isExtensible(def)) Object.defineProperty(def, DEFINED_IN, { value: file, enumerable: false });
  }
  return def;
}

/** The file:// URL of the module that called `definePlugin` on this object, if known. */
export function pluginSourceFile(def: unknown): string | undefined {
  if (def === null || typeof def !== 'object') return undefined;
  const value = (def as Record<symbol, unknown>)[DEFINED_IN];
  return typeof value === 'string' ? value : undefined;
}

const THIS_FILE = import.meta.url;

/**
 * The first stack frame outside this file. V8 frames read `at fn (file:///a/b.ts:3:9)` or
 * `at /a/b.ts:3:9`; test runners that transform modules keep the real path, sometimes without
 * the scheme, so both forms are accepted. Node internals (`node:…`) are skipped.
 */
function callerFile(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^()]*?|[A-Za-z]:\\[^()]*?):\d+:\d+\)?\s*$/.exec(line.trim());
    if (!match) continue;
    let url: string;
    try {
      url = match[1]!.startsWith('file://') ? match[1]! : isAbsolute(match[1]!) ? pathToFileURL(match[1]!).href : '';
    } catch {
      continue;
    }
    if (!url || sameFile(url, THIS_FILE)) continue;
    return url.split('?')[0];
  }
  return undefined;
}

function sameFile(a: string, b: string): boolean {
  try {
    return fileURLToPath(a.split('?')[0]!) === fileURLToPath(b.split('?')[0]!);
  } catch {
    return a === b;
  }
}
