import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Bundled plugins reach the runtime through its public exports only, and never reach into each
 * other: what they use is then what any outside plugin can use, and a runtime refactor cannot
 * break them unseen.
 */
const PLUGINS = fileURLToPath(new URL('../../../plugins/', import.meta.url));
const PUBLIC = new Set(['stokcerdas', 'stokcerdas/testing', 'stokcerdas/context', 'stokcerdas/webhooks']);

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Every module specifier of `import … from`, `export … from`, `import(…)` and `import '…'`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm)) found.push(m[2]!);
  return found;
}

/** Why `spec`, imported by `file`, is not allowed; undefined when it is. */
function refusal(file: string, spec: string): string | undefined {
  if (spec.startsWith('stokcerdas')) return PUBLIC.has(spec) ? undefined : `${spec} is not a public export (${[...PUBLIC].join(', ')})`;
  if (!spec.startsWith('.') && !spec.startsWith('/')) return undefined; // a package
  const target = resolve(dirname(file), spec);
  const plugin = relative(PLUGINS, file).split(sep)[0]!;
  const inside = relative(join(PLUGINS, plugin), target);
  if (inside.startsWith('..') || inside === '' || resolve(inside) === inside) return `reaches outside plugins/${plugin}/ by path`;
  return undefined;
}

describe('bundled plugins use the public API only', () => {
  it('tells the allowed imports from the private ones', () => {
    const file = join(PLUGINS, 'notifications', 'index.ts');
    expect(specifiers(`import a from './x.ts';\nexport { b } from "../y/z.ts";\nconst c = await import('stokcerdas/context');\nimport 'stokcerdas/webhooks';`)).toEqual([
      './x.ts',
      '../y/z.ts',
      'stokcerdas/context',
      'stokcerdas/webhooks',
    ]);
    expect(refusal(file, './events.ts')).toBeUndefined();
    expect(refusal(file, 'zod')).toBeUndefined();
    expect(refusal(file, 'stokcerdas/context')).toBeUndefined();
    expect(refusal(file, '../../runtime/context/indonesia/index.ts')).toMatch(/outside plugins\/notifications/);
    expect(refusal(file, '../business-rules/sla.ts')).toMatch(/outside plugins\/notifications/);
    expect(refusal(join(PLUGINS, 'ml-forecasting', 'store', 'sqlite.ts'), '../options.ts')).toBeUndefined();
    expect(refusal(file, 'stokcerdas/runtime/errors.ts')).toMatch(/not a public export/);
  });

  it('finds no import of runtime/ or of another plugin under plugins/', async () => {
    const files = await sources(PLUGINS);
    expect(files.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(await readFile(file, 'utf8'))) {
        const why = refusal(file, spec);
        if (why) problems.push(`${relative(PLUGINS, file)}: ${spec}: ${why}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
