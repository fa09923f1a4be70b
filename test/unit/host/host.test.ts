import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../../support/logs.ts';
import { createHost, type Host } from 'stokcerdas';
import type { PayloadFor } from 'stokcerdas';

/** Plugins written as plain-object modules into a temp plugins dir; they report to globalThis. */
const calls = () => ((globalThis as Record<string, unknown>).__hostTestCalls ??= []) as string[];

const pluginSource = (name: string, opts: { routingKey?: string; slowMs?: number } = {}) => `
const calls = () => (globalThis.__hostTestCalls ??= []);
export default {
  name: '${name}',
  version: '1.0.0',
  async setup() { calls().push('setup:${name}'); },
  async teardown() { calls().push('teardown:${name}'); },
  handlers: {
    onStock: {
      subscribe: { routingKeys: ['${opts.routingKey ?? 'inventory.stock.level.changed'}'] },
      async handle(event) {
        ${opts.slowMs ? `await new Promise((r) => setTimeout(r, ${opts.slowMs}));` : ''}
        calls().push('handled:${name}:' + event.data.productData.id);
      },
    },
  },
};`;

const stock: PayloadFor<'inventory.stock.level.changed'> = { productData: { id: 'SKU-9' }, locationData: { id: 'WH' }, stockMovement: { type: 'sale', quantity: -2 }, stockLevel: { previous: 5, current: 3 } };


async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('host with a plugins folder on the memory transport', () => {
  let dir: string;
  let host: Host | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stokcerdas-host-'));
    calls().length = 0;
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const addPlugin = async (folder: string, source: string) => {
    await mkdir(join(dir, folder));
    await writeFile(join(dir, folder, 'index.mjs'), source);
  };

  it('loads a dropped-in plugin folder and delivers matching events to it', async () => {
    await addPlugin('stock-watch', pluginSource('stock-watch'));
    host = createHost({ plugins: { dir }, http: { enabled: false } }, { logger: captureLogs().logger });
    await host.start();
    await host.publish('inventory.stock.level.changed', stock);
    await until(() => calls().includes('handled:stock-watch:SKU-9'));
    expect(host.plugins.map((p) => p.name)).toEqual(['stock-watch']);
  });

  it('reports a broken plugin by folder and cause and starts the others', async () => {
    await addPlugin('a-good', pluginSource('a-good'));
    await addPlugin('b-broken', 'export default { name: "b-broken", version: "1.0.0", handlers: { x: { subscribe: { routingKeys: ["inventory.#"] }, handle: 42 } } };');
    await addPlugin('c-syntax', 'export default { this is not javascript');
    const { lines, logger } = captureLogs();
    host = createHost({ plugins: { dir }, http: { enabled: false } }, { logger });
    await host.start();
    expect(host.plugins.map((p) => p.name)).toEqual(['a-good']);
    const skipped = lines.filter((l) => String(l.msg).startsWith('plugin skipped'));
    expect(skipped.map((l) => l.plugin).sort()).toEqual(['b-broken', 'c-syntax']);
    expect(skipped.find((l) => l.plugin === 'b-broken')!.msg).toMatch(/b-broken.*handle: must be a function/);
    expect(skipped.find((l) => l.plugin === 'c-syntax')!.code).toBe('STOKCERDAS_PLUGIN_LOAD_FAILED');
    const ready = lines.find((l) => String(l.msg).startsWith('ready'));
    expect(ready).toMatchObject({ plugins: 1, bindings: 1 });
    await host.publish('inventory.stock.level.changed', stock);
    await until(() => calls().includes('handled:a-good:SKU-9'));
  });

  it('refuses to start in strict mode when a plugin is broken', async () => {
    await addPlugin('a-good', pluginSource('a-good'));
    await addPlugin('wrong-name', pluginSource('other-name'));
    host = createHost({ plugins: { dir, strict: true }, http: { enabled: false } }, { logger: captureLogs().logger });
    await expect(host.start()).rejects.toMatchObject({ code: 'STOKCERDAS_PLUGIN_NAME_MISMATCH', message: expect.stringContaining('wrong-name') });
    expect(host.state).toBe('failed');
  });

  it('sets plugins up in load order and tears them down in reverse', async () => {
    await addPlugin('first', pluginSource('first'));
    await addPlugin('second', pluginSource('second'));
    host = createHost({ plugins: { dir }, http: { enabled: false } }, { logger: captureLogs().logger });
    await host.start();
    await host.stop();
    expect(calls()).toEqual(['setup:first', 'setup:second', 'teardown:second', 'teardown:first']);
  });

  it('finishes an in-flight delivery before stopping', async () => {
    await addPlugin('slow', pluginSource('slow', { slowMs: 300 }));
    host = createHost({ plugins: { dir }, http: { enabled: false } }, { logger: captureLogs().logger });
    await host.start();
    await host.publish('inventory.stock.level.changed', stock);
    await until(() => host!.stats().queues.length > 0 || calls().length > 1, 1000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    await host.stop();
    expect(calls()).toContain('handled:slow:SKU-9');
    expect(host.stats().queues.find((q) => q.queue === 'stokcerdas.slow.onStock')).toMatchObject({ acked: 1 });
  });

  it('lists every config problem by path', () => {
    expect(() => createHost({ retry: { maxAttempts: 0 }, broker: { prefetch: -1 }, bindings: { 'x/y': { timeoutMs: 'soon' as never } } })).toThrow(
      /retry\.maxAttempts[\s\S]*broker\.prefetch|broker\.prefetch[\s\S]*retry\.maxAttempts/,
    );
  });
});
