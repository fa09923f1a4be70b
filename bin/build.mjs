#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` runs it): compiles errors/, config/, runtime/, the
// bundled plugins and stokcerdas.config.ts into dist/ with esbuild, one .js file per .ts file, so a
// start imports plain JavaScript instead of compiling TypeScript on the fly. docs/compiled-build.md
// says how the launcher and the plugin loader decide between dist/ and the sources.
//
// Plain JavaScript on purpose: it runs before anything is compiled, with nothing but node and esbuild.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
/** the folders the host runs from; plugins/ is the bundled plugins' folder */
const TREES = ['errors', 'config', 'runtime', 'plugins'];
const CONFIG_FILE = 'stokcerdas.config.ts';
const MANIFEST_VERSION = 1;

const started = performance.now();
const quiet = process.argv.includes('--quiet');
const say = (line) => quiet || console.log(`stokcerdas build: ${line}`);

// The Docker image's dependency stage installs before it copies the sources: nothing to build there.
if (!existsSync(join(ROOT, 'runtime', 'cli.ts'))) {
  say('no runtime/ sources here, nothing to compile');
  process.exit(0);
}

const { build, version: esbuildVersion } = await import('esbuild');

const posix = (p) => p.split(sep).join('/');

/** Every file under `dir` (relative to ROOT, posix separators), tests and declarations left out. */
function walk(dir, out = []) {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(rel, out);
    } else if (!/\.test\.[cm]?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(rel);
    }
  }
  return out;
}

const files = TREES.filter((t) => existsSync(join(ROOT, t))).flatMap((t) => walk(t));
const sources = files.filter((f) => /\.[cm]?ts$/.test(f));
if (existsSync(join(ROOT, CONFIG_FILE))) sources.push(CONFIG_FILE);
// JSON is bundled into the module that imports it (no JSON-module warning on Node 20); .md stays behind
const assets = files.filter((f) => !/\.([cm]?ts|json|md)$/.test(f));

// A fresh folder beside dist/, swapped in only once everything compiled: a failed or interrupted
// build leaves the previous dist/ (or none), never a half-written one that the launcher would trust.
const next = join(ROOT, `.dist-next-${process.pid}`);
rmSync(next, { recursive: true, force: true });

/**
 * Each source file is its own entry and every import stays an import: relative `./x.ts` becomes
 * `./x.js`, packages (and the 'stokcerdas' self-reference) resolve at run time. The module graph is
 * the sources' graph, so module identity, import.meta.url and load order are what tsx gives.
 */
const keepImports = {
  name: 'keep-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (/^\.{1,2}\//.test(args.path) && args.path.endsWith('.json')) return undefined; // bundled
      return { path: args.path.replace(/^(\.{1,2}\/.*)\.([cm]?)ts$/, '$1.$2js'), external: true };
    });
  },
};

try {
  await build({
    absWorkingDir: ROOT,
    entryPoints: sources,
    outdir: next,
    outbase: '.',
    outExtension: { '.js': '.js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0] >= 20 ? '20.10' : process.versions.node}`,
    tsconfig: join(ROOT, 'tsconfig.json'),
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [keepImports],
  });
  for (const f of assets) {
    mkdirSync(dirname(join(next, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(next, f));
  }
  // what each compiled file was built from: the launcher and the plugin loader trust dist/ while
  // every source has its size and either its mtime or (a copied file) its content hash, and fall
  // back to the sources through tsx when one changed
  const manifest = { version: MANIFEST_VERSION, builtAt: new Date().toISOString(), esbuild: esbuildVersion, node: process.version, files: {} };
  for (const f of sources.sort()) {
    const s = statSync(join(ROOT, f));
    const hash = createHash('sha256').update(readFileSync(join(ROOT, f))).digest('hex').slice(0, 16);
    manifest.files[posix(f)] = [s.size, Math.trunc(s.mtimeMs), hash];
  }
  writeFileSync(join(next, 'manifest.json'), `${JSON.stringify(manifest)}\n`);

  const old = join(ROOT, `.dist-old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(next, DIST);
  rmSync(old, { recursive: true, force: true });
} catch (err) {
  rmSync(next, { recursive: true, force: true });
  // esbuild has printed the errors with file:line already
  console.error(`stokcerdas build FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  console.error('the sources still run through tsx (slower start); fix the error and run `npm run build`');
  process.exit(1);
}

say(`${sources.length} files compiled to ${relative(process.cwd(), DIST) || '.'}/ in ${Math.round(performance.now() - started)} ms (esbuild ${esbuildVersion})`);
