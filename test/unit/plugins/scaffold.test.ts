import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBus } from 'stokcerdas/testing';
import { ErrorCodes, StokcerdasError } from '../../../runtime/errors.ts';
import { scaffoldPayload, scaffoldPlugin, validatePluginDefinition } from '../../../runtime/plugins/index.ts';

const execFileP = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;
/** inside the package (under node_modules/.cache, ignored by git), so the generated `import 'stokcerdas'` resolves */
let inRepo: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stokcerdas-scaffold-'));
  await mkdir(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  inRepo = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'stokcerdas-scaffold-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(inRepo, { recursive: true, force: true });
});

describe('scaffoldPlugin', () => {
  it('writes a plugin and its fake-bus test into a new folder', async () => {
    const files = await scaffoldPlugin({ dir, name: 'stock-watch' });
    expect(files).toEqual([join(dir, 'stock-watch', 'index.ts'), join(dir, 'stock-watch', 'index.test.ts')]);
    expect((await readdir(join(dir, 'stock-watch'))).sort()).toEqual(['index.test.ts', 'index.ts']);

    const plugin = await readFile(files[0]!, 'utf8');
    expect(plugin).toContain("import { definePlugin } from 'stokcerdas';");
    expect(plugin).toContain("name: 'stock-watch'");
    expect(plugin).toContain("routingKeys: ['inventory.stock.level.changed']");
    expect(plugin).toContain("ctx.publish('inventory.stock.low'");

    const test = await readFile(files[1]!, 'utf8');
    expect(test).toContain("import { createTestBus } from 'stokcerdas/testing';");
    expect(test).toContain("import plugin from './index.ts';");
    expect(test).toContain('await createTestBus({ plugins: [plugin] })');
    expect(test).toContain("await bus.publish('inventory.stock.level.changed', lowStock)");
    expect(test).toContain('await bus.idle()');
    expect(test).toContain('expect(bus.consumed).toHaveLength(1)');
    expect(test).toContain("toContain('inventory.stock.low')");
    expect(test).toContain('await bus.close()');
  });

  it('embeds the documented payload in the generated test', async () => {
    const [, testFile] = await scaffoldPlugin({ dir, name: 'stock-watch' });
    const test = await readFile(testFile!, 'utf8');
    const literal = test.slice(test.indexOf('const lowStock = ') + 'const lowStock = '.length, test.indexOf(' satisfies PayloadFor'));
    expect(new Function(`return (${literal});`)()).toEqual(scaffoldPayload);
  });

  it('generates a plugin that loads, alerts at the reorder point in the canonical shape, and stays quiet above it', async () => {
    const [indexFile] = await scaffoldPlugin({ dir: inRepo, name: 'stock-watch' });
    const plugin = validatePluginDefinition((await import(indexFile!)).default, join(inRepo, 'stock-watch'));
    const bus = await createTestBus({ plugins: [plugin] });
    try {
      await bus.publish('inventory.stock.level.changed', scaffoldPayload);
      await bus.publish('inventory.stock.level.changed', { ...scaffoldPayload, stockLevel: { previous: 20, current: 15, reorderPoint: 10 } });
      await bus.idle();
      expect(bus.consumed).toHaveLength(2);
      expect(bus.published.filter((e) => e.type === 'inventory.stock.low').map((e) => e.data)).toEqual([
        { productData: scaffoldPayload.productData, locationData: scaffoldPayload.locationData, stockLevel: { current: 4, reorderPoint: 10 }, alertData: { severity: 'warning' } },
      ]);
      expect(bus.failed).toEqual([]);
    } finally {
      await bus.close();
    }
  });

  it('generates a plugin and test that type-check with no casts and no any', async () => {
    const files = await scaffoldPlugin({ dir: inRepo, name: 'stock-watch' });
    for (const file of files) expect(await readFile(file, 'utf8')).not.toMatch(/\bas\s+[A-Za-z{]|\bany\b|@ts-/);
    // the repository's compiler options, over the two generated files only
    await writeFile(join(inRepo, 'tsconfig.json'), JSON.stringify({ extends: relative(inRepo, join(ROOT, 'tsconfig.json')), include: ['stock-watch/*.ts'] }));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await execFileP(process.execPath, [tsc, '--noEmit', '-p', join(inRepo, 'tsconfig.json')], { cwd: ROOT }).then(
      () => '',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(result).toBe('');
  }, 180_000);

  it('refuses to overwrite an existing folder', async () => {
    await scaffoldPlugin({ dir, name: 'stock-watch' });
    const err = await scaffoldPlugin({ dir, name: 'stock-watch' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StokcerdasError);
    expect((err as StokcerdasError).code).toBe(ErrorCodes.PLUGIN_DUPLICATE);
    expect((err as StokcerdasError).message).toContain('already exists');
  });

  it.each(['StockWatch', 'stock_watch', '-stock', 'stock-', '1stock', ''])('refuses the name %j', async (name) => {
    const err = await scaffoldPlugin({ dir, name }).catch((e: unknown) => e);
    expect((err as StokcerdasError).code).toBe(ErrorCodes.PLUGIN_INVALID);
    expect(await readdir(dir)).toEqual([]);
  });
});
