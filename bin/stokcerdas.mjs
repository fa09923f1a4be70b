#!/usr/bin/env node
// The `stokcerdas` command (`npm start`, `npx stokcerdas`, the Docker image). It runs the compiled
// JavaScript in dist/ (bin/build.mjs, run by `npm ci`) when that build matches the sources, and
// otherwise the TypeScript sources through tsx, saying why: a missing or stale build costs a slower
// start, never a broken one. STOKCERDAS_FROM_SOURCE=1 always takes the sources.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
/** the host's own code; the bundled plugins and the config file are checked one by one at load */
const HOST_TREES = /^(errors|config|runtime)\//;

/** Why dist/ cannot be used, or undefined when every host file it was built from is unchanged. */
function staleBuild() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(ROOT, 'dist', 'manifest.json'), 'utf8'));
  } catch {
    return 'there is no compiled build (dist/manifest.json)';
  }
  if (manifest.version !== 1 || typeof manifest.files !== 'object') return 'dist/ was made by another version of the build';
  for (const [file, [size, mtime, hash]] of Object.entries(manifest.files)) {
    if (!HOST_TREES.test(file)) continue;
    const path = join(ROOT, file);
    let s;
    try {
      s = statSync(path);
    } catch {
      return `${file} was removed after the build`;
    }
    // a copy (a new mtime, the same bytes) is still what was compiled
    const same = s.size === size && (Math.trunc(s.mtimeMs) === mtime || createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) === hash);
    if (!same) return `${file} changed after the build`;
  }
  return undefined;
}

const fromSource = process.env.STOKCERDAS_FROM_SOURCE === '1';
const reason = fromSource ? undefined : staleBuild();
if (!fromSource && reason === undefined) {
  await import(pathToFileURL(join(ROOT, 'dist', 'runtime', 'cli.js')).href);
} else {
  if (reason !== undefined) {
    process.stderr.write(`stokcerdas: ${reason}; running the TypeScript sources through tsx (slower start). \`npm run build\` compiles them.\n`);
  }
  const { register } = await import('tsx/esm/api');
  // this package's tsconfig, whatever the working directory: its paths map 'stokcerdas' to the sources
  register({ tsconfig: join(ROOT, 'tsconfig.json') });
  await import(pathToFileURL(join(ROOT, 'runtime', 'cli.ts')).href);
}
