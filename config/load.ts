import path from 'node:path';
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { cosmiconfig, defaultLoaders, type Loader, type PublicExplorer } from 'cosmiconfig';
import type { core } from 'zod';
import { StokcerdasError, ErrorCodes } from '../errors/index.ts';
import { configSchema, type ResolvedConfig } from './schema.ts';
import { readEnvOverlay } from './env.ts';
import { readFlagsOverlay, type CliFlags } from './flags.ts';
import { type ConfigProblem, formatPath, isPlainObject } from './problems.ts';
import { redactString } from './redact.ts';

export interface LoadConfigOptions {
  /** where the search for stokcerdas.config.* starts (default: process.cwd()) */
  cwd?: string;
  /** `--config PATH`: load exactly this file (relative to cwd), never search */
  configPath?: string;
  /** default: process.env */
  env?: NodeJS.ProcessEnv;
  flags?: CliFlags;
  /**
   * Imports a .ts/.mts/.cts/.js/.mjs/.cjs config file (an absolute path) and returns its module.
   * Default: through tsx (below). The compiled CLI passes its own, which takes the file's compiled
   * twin when there is one and keeps 'stokcerdas' the compiled runtime it runs.
   */
  importModule?: (filepath: string) => Promise<unknown>;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** the config file used, absent when none was found */
  filepath?: string;
}

/** The dedicated file wins over a `stokcerdas` key in package.json when a folder has both. */
export const SEARCH_PLACES = [
  'stokcerdas.config.ts',
  'stokcerdas.config.mts',
  'stokcerdas.config.js',
  'stokcerdas.config.mjs',
  'stokcerdas.config.json',
  'package.json',
];

// tsx, not cosmiconfig's TypeScript-compiler loader: `npm ci --omit=dev` images have no TS compiler
// at run time, and tsx is the loader the plugins and workers already use. JS configs go through it
// too, so a .js config can import 'stokcerdas' (the sources here) without `--import tsx`. Loaded on
// first use: a compiled start with its own importer never pays for it.
const tsxImport = async (filepath: string): Promise<unknown> => {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(pathToFileURL(filepath).href, import.meta.url);
};

const NO_DEFAULT = Symbol('no default export');

function defaultExport(mod: unknown): unknown {
  if (mod === null || typeof mod !== 'object' || !('default' in mod)) return NO_DEFAULT;
  const value = (mod as { default: unknown }).default;
  // A .ts file outside a `"type": "module"` package is compiled to CommonJS, which nests the default once more.
  if (value !== null && typeof value === 'object' && (value as { __esModule?: unknown }).__esModule === true) {
    return 'default' in value ? (value as { default: unknown }).default : NO_DEFAULT;
  }
  return value;
}

function explorer(importModule: (filepath: string) => Promise<unknown>): PublicExplorer {
  const load: Loader = async (filepath) => defaultExport(await importModule(filepath));
  return cosmiconfig('stokcerdas', {
    searchPlaces: SEARCH_PLACES,
    // cache off: `check` after an edit and the tests reload the same path and must see the new content
    cache: false,
    loaders: {
      '.ts': load,
      '.mts': load,
      '.cts': load,
      '.js': load,
      '.mjs': load,
      '.cjs': load,
      '.json': defaultLoaders['.json'],
      noExt: defaultLoaders.noExt,
    },
  });
}

async function isFile(filepath: string): Promise<boolean> {
  try {
    return (await stat(filepath)).isFile();
  } catch {
    return false;
  }
}

/**
 * cosmiconfig 9's `searchStrategy: 'project'` does not stop at package.json (its `break` leaves only
 * the inner loop), so walk up ourselves: from cwd to the nearest folder holding a package.json.
 */
async function search(from: string, importModule: (filepath: string) => Promise<unknown>): Promise<{ config: unknown; filepath: string } | null> {
  const finder = explorer(importModule);
  let dir = from;
  for (;;) {
    const found = await finder.search(dir);
    if (found) return found;
    const parent = path.dirname(dir);
    if (parent === dir || (await isFile(path.join(dir, 'package.json')))) return null;
    dir = parent;
  }
}

function loadFailed(filepath: string, cause: unknown): StokcerdasError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StokcerdasError(
    ErrorCodes.CONFIG_LOAD_FAILED,
    redactString(`could not load config file ${filepath}: ${reason}`),
    { filepath },
    { cause },
  );
}

async function readConfigFile(
  cwd: string,
  configPath: string | undefined,
  importModule: (filepath: string) => Promise<unknown>,
): Promise<{ config: unknown; filepath?: string }> {
  if (configPath !== undefined) {
    const filepath = path.resolve(cwd, configPath);
    if (!(await isFile(filepath))) {
      throw new StokcerdasError(
        ErrorCodes.CONFIG_NOT_FOUND,
        `config file not found: ${filepath} (given as --config ${configPath}); check the path or drop --config to search for stokcerdas.config.ts`,
        { filepath },
      );
    }
    try {
      const found = await explorer(importModule).load(filepath);
      return { config: found?.isEmpty ? {} : found?.config, filepath };
    } catch (err) {
      throw loadFailed(filepath, err);
    }
  }
  try {
    const found = await search(cwd, importModule);
    return found ? { config: found.config, filepath: found.filepath } : { config: {} };
  } catch (err) {
    const filepath = (err as { filepath?: unknown }).filepath;
    throw loadFailed(typeof filepath === 'string' ? filepath : cwd, err);
  }
}

/** Plain objects merge key by key; arrays and everything else are replaced; undefined never erases. */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (key === '__proto__') continue;
    out[key] = deepMerge(base[key], value);
  }
  return out;
}

function issueProblems(issue: core.$ZodIssue): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'Unrecognized key (check the spelling)' }));
  }
  if (issue.code === 'invalid_key') {
    return [{ path: formatPath(issue.path), message: `Invalid key: ${issue.issues.map((i) => i.message).join('; ')}` }];
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

/** A value set by a variable or flag is reported under that name, so the operator knows what to fix. */
function attribute(problem: ConfigProblem, sources: Record<string, string>): ConfigProblem {
  const source = sources[problem.path];
  return source === undefined ? problem : { path: source, message: `${problem.message} (sets ${problem.path})` };
}

/**
 * The config file (found by cosmiconfig from cwd, or exactly `configPath`) < environment < CLI flags,
 * validated by the schema. Every problem from every source is thrown together as one CONFIG_INVALID.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const file = await readConfigFile(cwd, options.configPath, options.importModule ?? tsxImport);
  const env = readEnvOverlay(options.env ?? process.env);
  const flags = readFlagsOverlay(options.flags ?? {});
  const sources = { ...env.sources, ...flags.sources };
  const problems: ConfigProblem[] = [...env.problems, ...flags.problems];

  let fileConfig: unknown = file.config ?? {};
  if (fileConfig === NO_DEFAULT || !isPlainObject(fileConfig)) {
    problems.push({
      path: '(root)',
      message: fileConfig === NO_DEFAULT
        ? 'the config file has no default export; write `export default defineConfig({ … })`'
        : `the config file must export an object, got ${Array.isArray(fileConfig) ? 'an array' : typeof fileConfig}`,
    });
    fileConfig = {};
  }

  const merged = deepMerge(deepMerge(fileConfig, env.config), flags.config);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    problems.push(...result.error.issues.flatMap(issueProblems).map((p) => attribute(p, sources)));
  } else if (result.data.transport === 'amqp' && result.data.broker.url === undefined && result.data.broker.urls === undefined) {
    problems.push(attribute({
      path: 'transport',
      message: '"amqp" needs a broker URL: set broker.url, broker.urls, RABBITMQ_URL, RABBITMQ_URLS, RABBITMQ_HOST or --broker-url',
    }, sources));
  }

  if (problems.length > 0 || !result.success) {
    const safe = problems.map((p) => ({ path: p.path, message: redactString(p.message) }));
    const where = file.filepath ? ` (${file.filepath})` : '';
    throw new StokcerdasError(
      ErrorCodes.CONFIG_INVALID,
      `invalid config${where}, ${safe.length} problem${safe.length === 1 ? '' : 's'}:\n` +
        safe.map((p) => `  ${p.path}: ${p.message}`).join('\n'),
      { problems: safe, filepath: file.filepath },
    );
  }
  return file.filepath ? { config: result.data, filepath: file.filepath } : { config: result.data };
}
