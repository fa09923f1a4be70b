import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, StokcerdasError } from '../../../runtime/errors.ts';
import { scaffoldPayload, scaffoldPlugin, validatePluginDefinition } from '../../../runtime/plugins/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stokcerdas-scaffold-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
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
    const literal = test.slice(test.indexOf('const lowStock = ') + 'const lowStock = '.length, test.indexOf('};') + 1);
    expect(new Function(`return (${literal});`)()).toEqual(scaffoldPayload);
  });

  it('generates a plugin that passes validation and alerts only at the reorder point', async () => {
    const [indexFile] = await scaffoldPlugin({ dir, name: 'stock-watch' });
    // the generated file imports 'stokcerdas'; swap in an identity so it loads from a temp dir
    const source = (await readFile(indexFile!, 'utf8')).replace(
      "import { definePlugin } from 'stokcerdas';",
      'const definePlugin = <T>(p: T): T => p;',
    );
    const probe = join(dir, 'stock-watch', 'probe.ts');
    await writeFile(probe, source);
    const plugin = validatePluginDefinition((await import(probe)).default, join(dir, 'stock-watch'));

    const published: [string, unknown][] = [];
    const ctx = { publish: (type: string, data: unknown) => published.push([type, data]) };
    await plugin.handlers.lowStock!.handle({ data: scaffoldPayload }, ctx as never);
    await plugin.handlers.lowStock!.handle({ data: { ...scaffoldPayload, newLevel: 15 } }, ctx as never);
    expect(published.map(([type]) => type)).toEqual(['inventory.stock.low']);
  });

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
