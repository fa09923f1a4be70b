/**
 * Running from the compiled build (dist/, bin/build.mjs) or from the TypeScript sources. Compiled,
 * a bundled plugin or the config file is imported from its compiled twin while it matches its
 * source, and any other TypeScript (a drop-in `plugins/foo/index.ts`, an edited bundled plugin)
 * goes through tsx, registered on first need only. From the sources (tsx, vitest) TypeScript
 * imports work already and nothing here changes an import.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** this module is dist/runtime/compiled/index.js when compiled, runtime/compiled/index.ts otherwise */
export const RUNS_COMPILED = !/\.[cm]?ts$/.test(new URL(import.meta.url).pathname);

const DIST = fileURLToPath(new URL('../../', import.meta.url));
const ROOT = resolve(DIST, '..');
const TYPESCRIPT = /\.[cm]?ts$/;

/** [size, mtime ms, content hash] of each source file when it was compiled, keyed by its posix path from ROOT */
type Manifest = Record<string, [number, number, string]>;

let manifest: Manifest | null | undefined;

function readManifest(): Manifest | null {
  if (manifest !== undefined) return manifest;
  try {
    const parsed = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as { version?: unknown; files?: Manifest };
    manifest = parsed.version === 1 && parsed.files ? parsed.files : null;
  } catch {
    manifest = null;
  }
  return manifest;
}

/** Same size, and the same mtime or (a copy: a mounted or copied folder) the same bytes. */
const unchanged = (file: string, [size, mtime, hash]: [number, number, string]): boolean => {
  try {
    const path = join(ROOT, file);
    const s = statSync(path);
    if (s.size !== size) return false;
    return Math.trunc(s.mtimeMs) === mtime || createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) === hash;
  } catch {
    return false;
  }
};

const warned = new Set<string>();

/**
 * The compiled file to import instead of `sourceFile` (an absolute path), when running compiled and
 * the build holds it unchanged: a bundled plugin's folder counts as one (any of its files changed
 * means its sources are used, through tsx), the config file as itself.
 */
export function compiledTwin(sourceFile: string): string | undefined {
  if (!RUNS_COMPILED || !TYPESCRIPT.test(sourceFile)) return undefined;
  const rel = relative(ROOT, sourceFile).split(sep).join('/');
  const files = readManifest();
  if (!files || rel.startsWith('../') || files[rel] === undefined) return undefined;
  const group = rel.startsWith('plugins/') ? `${rel.split('/').slice(0, 2).join('/')}/` : rel;
  const changed = Object.keys(files).find((f) => (f === group || f.startsWith(group)) && !unchanged(f, files[f]!));
  if (changed !== undefined) {
    if (!warned.has(group)) {
      warned.add(group);
      process.stderr.write(`stokcerdas: ${changed} changed after the build; loading ${group} through tsx (slower start). \`npm run build\` compiles it.\n`);
    }
    return undefined;
  }
  return join(DIST, rel.replace(/\.([cm]?)ts$/, '.$1js'));
}

let registering: Promise<void> | undefined;

/**
 * tsx for the TypeScript a compiled host meets, once per thread. Without this package's tsconfig:
 * its paths point 'stokcerdas' at the sources, and a drop-in plugin must get the compiled runtime
 * the host runs (one copy of each class, so `instanceof NonRetryableError` holds).
 */
function registerTsx(): Promise<void> {
  registering ??= import('tsx/esm/api').then(({ register }) => {
    register({ tsconfig: false });
  });
  return registering;
}

/** `import(url)`, with tsx registered first when a compiled host imports a TypeScript file. */
export async function importModule(url: string): Promise<Record<string, unknown>> {
  if (RUNS_COMPILED && TYPESCRIPT.test(url.split('?')[0]!)) await registerTsx();
  return (await import(url)) as Record<string, unknown>;
}

/** A config file's module: its compiled twin when there is one, else the file itself (tsx for TypeScript). */
export function importConfigModule(file: string): Promise<Record<string, unknown>> {
  return importModule(pathToFileURL(compiledTwin(file) ?? file).href);
}
