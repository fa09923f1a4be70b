import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Bundled plugins are written as any plugin author's would be: against the package's public
 * entry points only. A plugin that reaches into `runtime/` or into another plugin's folder
 * breaks when either is reorganised, and shows authors a path they cannot take.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const PLUGINS = join(ROOT, 'plugins');
const PUBLIC = new Set(['stokcerdas', 'stokcerdas/testing', 'stokcerdas/context', 'stokcerdas/webhooks', 'stokcerdas/client']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(m?[jt]s)$/.test(name) ? [path] : [];
  });
}

/** every module specifier in static imports, re-exports and dynamic imports */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** why a specifier in `file` is not allowed, or undefined */
export function privateImport(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('stokcerdas')) return PUBLIC.has(specifier) ? undefined : `${specifier} is not a public entry point`;
  if (!specifier.startsWith('.')) return undefined; // a package from node_modules
  const target = resolve(file, '..', specifier);
  const pluginOf = (path: string) => relative(PLUGINS, path).split(sep)[0];
  if (!target.startsWith(PLUGINS + sep)) return `${specifier} reaches outside plugins/ (use the package's public entry points)`;
  if (pluginOf(target) !== pluginOf(file)) return `${specifier} reaches into another plugin's folder`;
  return undefined;
}

describe('bundled plugins', () => {
  it('import only the public entry points and their own folder', () => {
    const problems = sourceFiles(PLUGINS).flatMap((file) =>
      specifiers(readFileSync(file, 'utf8')).flatMap((s) => {
        const why = privateImport(file, s);
        return why ? [`${relative(ROOT, file)}: ${why}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('the check itself catches both kinds of private import', () => {
    const file = join(PLUGINS, 'notifications', 'index.ts');
    expect(privateImport(file, '../../runtime/context/indonesia/index.ts')).toMatch(/outside plugins/);
    expect(privateImport(file, '../integration-sync/adapters.ts')).toMatch(/another plugin/);
    expect(privateImport(file, 'stokcerdas/runtime/errors.ts')).toMatch(/not a public entry point/);
    expect(privateImport(file, './messages.ts')).toBeUndefined();
    expect(privateImport(file, 'stokcerdas/context')).toBeUndefined();
  });
});
