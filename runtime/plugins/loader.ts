import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledTwin, importModule } from '../compiled/index.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { PluginDefinition, PluginQueue } from './types.ts';
import { extensionProblems, formatPath, pluginLabel, pluginShapeProblems, validatePluginDefinition } from './validate.ts';

/**
 * A plugin is a folder `plugins/<name>/` with an index file. A broken plugin never
 * stops the others: every failure becomes a problem naming the folder and the cause, and the
 * host decides (non-strict: start without it; strict or `stokcerdas check`: refuse).
 */

/** Preference order when a folder holds several (a compiled .js beside its .ts source). */
export const INDEX_FILES = ['index.ts', 'index.mts', 'index.js', 'index.mjs'] as const;

export interface DiscoveredPlugin {
  /** the folder name, which the plugin's `name` must equal */
  name: string;
  /** absolute folder path */
  dir: string;
  /** absolute path of the index file */
  file: string;
}

export interface LoadedPlugin {
  name: string;
  version: string;
  dir: string;
  /** the index file (worker threads import it again); '' for plugins given as objects */
  file: string;
  definition: PluginDefinition;
  /** `plugins.options[name]` parsed by the plugin's zod schema, defaults applied */
  options: unknown;
  /** queues `configure(options)` declared (published into, not consumed) */
  queues?: PluginQueue[];
}

export interface PluginProblem {
  plugin: string;
  file?: string;
  error: StokcerdasError;
}

export interface LoadPluginsOptions {
  /** the plugins folder; relative paths resolve against `cwd` */
  dir: string;
  disabled?: readonly string[];
  options?: Record<string, unknown>;
  /**
   * Accepted so `config.plugins` can be passed as is. It does not change the result: every
   * problem is always returned, and the caller refuses to start (see `assertNoProblems`).
   */
  strict?: boolean;
  cwd?: string;
}

export interface LoadPluginsResult {
  plugins: LoadedPlugin[];
  problems: PluginProblem[];
}

interface Candidate {
  definition: PluginDefinition;
  dir: string;
  file: string;
  label: string;
}

const isDirectory = async (path: string) => (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
const isFile = async (path: string) => (await stat(path).catch(() => undefined))?.isFile() ?? false;
// Code-point order, not locale order: the load order must be the same on every machine.
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Every subfolder of `dir` with an index file, sorted by folder name. Folders starting with `.`
 * or `_` (drafts, shared helpers) and folders without an index are skipped; a missing `dir`
 * means no plugins.
 */
export async function discoverPlugins(dir: string): Promise<DiscoveredPlugin[]> {
  const root = resolve(dir);
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const found: DiscoveredPlugin[] = [];
  for (const name of entries) {
    if (name.startsWith('.') || name.startsWith('_')) continue;
    const folder = join(root, name);
    if (!(await isDirectory(folder))) continue; // stat, not the dirent: symlinked plugin folders count
    for (const index of INDEX_FILES) {
      const file = join(folder, index);
      if (await isFile(file)) {
        found.push({ name, dir: folder, file });
        break;
      }
    }
  }
  return found.sort(byName);
}

/** `SyntaxError: Unexpected token '}'`: enough to find the fault without the stack. */
function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const lines = err.message.split('\n').map((l) => l.trim()).filter(Boolean);
  // tsx/esbuild say "Transform failed with 1 error:" and put the file:line:col and reason next
  const first = lines[0]?.endsWith(':') && lines[1] ? `${lines[0]} ${lines[1]}` : (lines[0] ?? '');
  // a CommonJS syntax error carries its file:line as the stack's first line, not in the message
  const where = err.stack?.split('\n')[0]?.match(/^(?:file:\/\/|\/).*[/\\]([^/\\]+:\d+)$/)?.[1];
  return `${err.name}: ${first}${where && !first.includes(where) ? ` (${where})` : ''}`;
}

async function importPlugin(found: DiscoveredPlugin): Promise<Candidate | PluginProblem> {
  const label = pluginLabel(found.dir);
  const index = basename(found.file);
  const problem = (error: StokcerdasError): PluginProblem => ({ plugin: found.name, file: found.file, error });
  let mod: Record<string, unknown>;
  // a compiled host imports a bundled plugin's compiled twin (worker threads then import that file
  // too); any other TypeScript plugin goes through tsx
  const file = compiledTwin(found.file) ?? found.file;
  try {
    mod = await importModule(pathToFileURL(file).href);
  } catch (err) {
    return problem(
      new StokcerdasError(
        ErrorCodes.PLUGIN_LOAD_FAILED,
        `${label}: cannot import ${index}: ${describeCause(err)} (fix it, or add "${found.name}" to plugins.disabled)`,
        { plugin: found.name, file: found.file },
        { cause: err },
      ),
    );
  }
  if (mod.default === undefined) {
    return problem(
      new StokcerdasError(
        ErrorCodes.PLUGIN_INVALID,
        `${label}: ${index} has no default export (add export default definePlugin({ name: '${found.name}', version: '1.0.0', handlers: {...} }))`,
        { plugin: found.name, file: found.file },
      ),
    );
  }
  try {
    return { definition: validatePluginDefinition(mod.default, found.dir), dir: found.dir, file, label };
  } catch (err) {
    if (err instanceof StokcerdasError) return problem(err);
    throw err;
  }
}

/** Parses `plugins.options[name]` with the plugin's schema; a missing entry reads as `{}` so defaults apply. */
function parseOptions(c: Candidate, configured: Record<string, unknown>): { value: unknown } | { error: StokcerdasError } {
  const name = c.definition.name;
  const raw = configured[name] ?? {};
  const schema = c.definition.options;
  if (!schema) return { value: raw };
  const at = (path: readonly PropertyKey[]) => formatPath(path, `plugins.options[${JSON.stringify(name)}]`);
  let lines: string[];
  try {
    const result = schema.safeParse(raw);
    if (result.success) return { value: result.data };
    lines = result.error.issues.map((i) => `${at(i.path)}: ${i.message}`);
  } catch (err) {
    // an async refinement makes safeParse throw; options are read once at start, synchronously
    lines = [`${at([])}: the options schema cannot be checked: ${describeCause(err)}`];
  }
  return {
    error: new StokcerdasError(ErrorCodes.PLUGIN_OPTIONS_INVALID, lines.map((l) => `${c.label}: ${l}`).join('\n'), {
      plugin: name,
      problems: lines,
    }),
  };
}

/**
 * Adds what `configure(options)` derives (handlers per configured target, queues). The definition
 * is copied with its descriptors, so the non-enumerable definePlugin note (the module file) survives.
 */
function configure(c: Candidate, options: unknown): { definition: PluginDefinition; queues: PluginQueue[] } | { error: StokcerdasError } {
  const def = c.definition;
  if (!def.configure) return { definition: def, queues: [] };
  const fail = (lines: string[], cause?: unknown) => ({
    error: new StokcerdasError(
      ErrorCodes.PLUGIN_INVALID,
      lines.map((l) => `${c.label}: ${l}`).join('\n'),
      { plugin: def.name, problems: lines },
      cause === undefined ? undefined : { cause },
    ),
  });
  let extension: ReturnType<NonNullable<PluginDefinition['configure']>>;
  try {
    extension = def.configure(options);
  } catch (err) {
    return fail([`configure(options) threw: ${describeCause(err)}`], err);
  }
  const lines = extensionProblems(extension, Object.keys(def.handlers));
  if (lines.length > 0) return fail(lines);
  const definition = Object.defineProperties({}, Object.getOwnPropertyDescriptors(def)) as PluginDefinition;
  definition.handlers = { ...def.handlers, ...extension.handlers };
  return { definition, queues: extension.queues ?? [] };
}

/** Duplicate names and options, shared by folder plugins and plugins given as objects. */
function finish(candidates: Candidate[], configured: Record<string, unknown>, problems: PluginProblem[]): LoadPluginsResult {
  const plugins: LoadedPlugin[] = [];
  const seen = new Map<string, Candidate>();
  for (const c of candidates) {
    const name = c.definition.name;
    const file = c.file || undefined;
    const first = seen.get(name);
    if (first) {
      problems.push({
        plugin: name,
        file,
        error: new StokcerdasError(
          ErrorCodes.PLUGIN_DUPLICATE,
          `${c.label}: plugin name "${name}" is already used by ${first.label} (plugin names must be unique: rename one)`,
          { plugin: name, file: c.file, first: first.file },
        ),
      });
      continue;
    }
    seen.set(name, c);
    const parsed = parseOptions(c, configured);
    if ('error' in parsed) {
      problems.push({ plugin: name, file, error: parsed.error });
      continue;
    }
    const extended = configure(c, parsed.value);
    if ('error' in extended) {
      problems.push({ plugin: name, file, error: extended.error });
      continue;
    }
    plugins.push({
      name,
      version: c.definition.version,
      dir: c.dir,
      file: c.file,
      definition: extended.definition,
      options: parsed.value,
      queues: extended.queues,
    });
  }
  return { plugins, problems };
}

/**
 * Discovers, imports, validates and configures the plugins under `dir`, in folder-name order.
 * Disabled plugins are not imported. Options configured for a plugin that does not exist are
 * reported (a typo in the name must not silently leave a plugin unconfigured).
 */
export async function loadPlugins(opts: LoadPluginsOptions): Promise<LoadPluginsResult> {
  const root = resolve(opts.cwd ?? process.cwd(), opts.dir);
  const disabled = new Set(opts.disabled ?? []);
  const configured = opts.options ?? {};
  const found = await discoverPlugins(root);
  const problems: PluginProblem[] = [];
  const candidates: Candidate[] = [];
  for (const f of found) {
    if (disabled.has(f.name)) continue;
    const loaded = await importPlugin(f);
    if ('error' in loaded) problems.push(loaded);
    else candidates.push(loaded);
  }
  const result = finish(candidates, configured, problems);
  // one list in folder order, whichever step found the problem
  const order = new Map(found.map((f, i) => [f.name, i]));
  result.problems.sort((a, b) => (order.get(a.plugin) ?? Infinity) - (order.get(b.plugin) ?? Infinity));

  const folders = new Set(found.map((f) => f.name));
  for (const name of Object.keys(configured)) {
    if (folders.has(name) || disabled.has(name)) continue;
    const known = [...folders].join(', ') || 'none';
    result.problems.push({
      plugin: name,
      error: new StokcerdasError(
        ErrorCodes.PLUGIN_OPTIONS_INVALID,
        `plugins.options[${JSON.stringify(name)}]: no plugin folder "${name}" in ${pluginLabel(root)} (known: ${known}; fix the name or remove the entry)`,
        { plugin: name },
      ),
    });
  }
  return result;
}

/**
 * The same checks for plugin objects handed over in code (the fake bus, `createHost` with
 * inline plugins): shape, unique names and options. There is no folder, so no name check.
 */
export function loadPluginObjects(
  definitions: readonly unknown[],
  opts: { options?: Record<string, unknown>; disabled?: readonly string[] } = {},
): LoadPluginsResult {
  const disabled = new Set(opts.disabled ?? []);
  const problems: PluginProblem[] = [];
  const candidates: Candidate[] = [];
  definitions.forEach((definition, i) => {
    const declared = (definition as { name?: unknown } | null)?.name;
    const plugin = typeof declared === 'string' ? declared : `plugins[${i}]`;
    if (disabled.has(plugin)) return;
    const label = typeof declared === 'string' ? `plugin "${declared}"` : `plugins[${i}]`;
    const lines = pluginShapeProblems(definition);
    if (lines.length > 0) {
      const error = new StokcerdasError(ErrorCodes.PLUGIN_INVALID, lines.map((l) => `${label}: ${l}`).join('\n'), {
        plugin,
        problems: lines,
      });
      problems.push({ plugin, error });
      return;
    }
    candidates.push({ definition: definition as PluginDefinition, dir: '', file: '', label });
  });
  return finish(candidates, opts.options ?? {}, problems);
}

/** Throws one error listing every problem (strict mode, `stokcerdas check`); returns when there are none. */
export function assertNoProblems(problems: readonly PluginProblem[]): void {
  if (problems.length === 0) return;
  const codes = new Set(problems.map((p) => p.error.code));
  const code = codes.size === 1 ? problems[0]!.error.code : ErrorCodes.PLUGIN_INVALID;
  const body = problems.map((p) => `- [${p.error.code}] ${p.error.message.split('\n').join('\n  ')}`).join('\n');
  throw new StokcerdasError(code, `${problems.length} plugin problem${problems.length > 1 ? 's' : ''}:\n${body}`, {
    problems: problems.map((p) => ({ plugin: p.plugin, file: p.file, code: p.error.code, message: p.error.message })),
  });
}
