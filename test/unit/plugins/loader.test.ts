import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCodes, StokcerdasError } from '../../../runtime/errors.ts';
import {
  assertNoProblems,
  discoverPlugins,
  loadPluginObjects,
  loadPlugins,
  type PluginProblem,
} from '../../../runtime/plugins/index.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/plugins/', import.meta.url));
const good = join(fixtures, 'good');
const broken = join(fixtures, 'broken');

const problemFor = (problems: PluginProblem[], plugin: string) => {
  const found = problems.find((p) => p.plugin === plugin);
  if (!found) throw new Error(`no problem reported for ${plugin}: ${problems.map((p) => p.plugin).join(', ')}`);
  return found;
};

describe('discoverPlugins', () => {
  it('finds plugin folders in name order, skipping dot, underscore and index-less folders', async () => {
    const found = await discoverPlugins(good);
    expect(found.map((f) => f.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(found.map((f) => f.file.slice(f.dir.length + 1))).toEqual(['index.ts', 'index.mjs', 'index.ts']);
  });

  it('prefers index.ts over an index.mjs in the same folder', async () => {
    const gamma = (await discoverPlugins(good)).find((f) => f.name === 'gamma');
    expect(gamma?.file).toBe(join(good, 'gamma', 'index.ts'));
  });

  it('treats a missing plugins folder as no plugins', async () => {
    expect(await discoverPlugins(join(fixtures, 'does-not-exist'))).toEqual([]);
  });
});

describe('loadPlugins', () => {
  it('loads .ts and plain .mjs plugins with no problems', async () => {
    const { plugins, problems } = await loadPlugins({ dir: good });
    expect(problems).toEqual([]);
    expect(plugins.map((p) => [p.name, p.version])).toEqual([
      ['alpha', '1.0.0'],
      ['beta', '0.2.0-rc.1'],
      ['gamma', '3.1.4'],
    ]);
    expect(Object.keys(plugins[1]!.definition.handlers)).toEqual(['orders']);
  });

  it('applies the defaults of the options schema when the config gives none', async () => {
    const { plugins } = await loadPlugins({ dir: good });
    expect(plugins.find((p) => p.name === 'alpha')?.options).toEqual({ threshold: 10, channel: 'email' });
  });

  it('parses configured options over the defaults', async () => {
    const { plugins, problems } = await loadPlugins({ dir: good, options: { alpha: { threshold: 3 } } });
    expect(problems).toEqual([]);
    expect(plugins[0]!.options).toEqual({ threshold: 3, channel: 'email' });
  });

  it('resolves a relative dir against cwd', async () => {
    const { plugins } = await loadPlugins({ dir: 'good', cwd: fixtures });
    expect(plugins.map((p) => p.name)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('does not import disabled plugins', async () => {
    const { plugins, problems } = await loadPlugins({ dir: good, disabled: ['alpha', 'gamma'] });
    expect(plugins.map((p) => p.name)).toEqual(['beta']);
    expect(problems).toEqual([]);
  });

  it('reports options for a plugin that does not exist, naming the known ones', async () => {
    const { plugins, problems } = await loadPlugins({ dir: good, options: { alpah: { threshold: 1 } } });
    expect(plugins).toHaveLength(3);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.error.code).toBe(ErrorCodes.PLUGIN_OPTIONS_INVALID);
    expect(problems[0]!.error.message).toContain('plugins.options["alpah"]: no plugin folder "alpah"');
    expect(problems[0]!.error.message).toContain('known: alpha, beta, gamma');
  });

  it('accepts options kept for a disabled plugin', async () => {
    const { problems } = await loadPlugins({ dir: good, disabled: ['alpha'], options: { alpha: { threshold: 'x' } } });
    expect(problems).toEqual([]);
  });
});

describe('loadPlugins with broken plugins', () => {
  const options = { 'bad-options': { webhook: { url: 'not a url' }, retries: -1 } };
  const load = () => loadPlugins({ dir: broken, options });

  it('still loads the good plugin and reports every broken one by folder', async () => {
    const { plugins, problems } = await load();
    expect(plugins.map((p) => p.name)).toEqual(['good-one']);
    expect(problems.map((p) => [p.plugin, p.error.code])).toEqual([
      ['bad-options', ErrorCodes.PLUGIN_OPTIONS_INVALID],
      ['name-mismatch', ErrorCodes.PLUGIN_NAME_MISMATCH],
      ['no-default', ErrorCodes.PLUGIN_INVALID],
      ['syntax-error', ErrorCodes.PLUGIN_LOAD_FAILED],
      ['throws', ErrorCodes.PLUGIN_LOAD_FAILED],
      ['wrong-shape', ErrorCodes.PLUGIN_INVALID],
    ]);
    for (const p of problems) expect(p.error.message).toContain(`broken/${p.plugin}: `);
  });

  it('reports a syntax error with the file and the cause', async () => {
    const p = problemFor((await load()).problems, 'syntax-error');
    expect(p.file).toBe(join(broken, 'syntax-error', 'index.js'));
    expect(p.error.message).toMatch(/syntax-error: cannot import index\.js: \w*Error: /);
    expect(p.error.cause).toBeInstanceOf(Error);
  });

  it('reports a TypeScript syntax error and loads the plugins beside it', async () => {
    // written at run time: a broken .ts fixture in the repo would break the type-check
    const dir = await mkdtemp(join(tmpdir(), 'stokcerdas-plugins-'));
    try {
      for (const name of ['bad-ts', 'fine']) await mkdir(join(dir, name));
      await writeFile(join(dir, 'bad-ts', 'index.ts'), 'export default { name: "bad-ts", version: ;\n');
      await writeFile(
        join(dir, 'fine', 'index.ts'),
        'export default { name: "fine", version: "1.0.0", handlers: { h: { subscribe: { routingKeys: ["inventory.#"] }, async handle() {} } } };\n',
      );
      const { plugins, problems } = await loadPlugins({ dir });
      expect(plugins.map((p) => p.name)).toEqual(['fine']);
      expect(problems.map((p) => [p.plugin, p.error.code])).toEqual([['bad-ts', ErrorCodes.PLUGIN_LOAD_FAILED]]);
      expect(problems[0]!.error.message).toMatch(/bad-ts: cannot import index\.ts: \w*Error: \S/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a throw at import with the first line of the error', async () => {
    const p = problemFor((await load()).problems, 'throws');
    expect(p.error.message).toContain('cannot import index.mjs: Error: database unreachable');
    expect(p.error.message).not.toContain('second line');
    expect((p.error.cause as Error).message).toContain('second line');
  });

  it('reports a missing default export with the fix', async () => {
    const p = problemFor((await load()).problems, 'no-default');
    expect(p.error.message).toContain("index.ts has no default export (add export default definePlugin({ name: 'no-default'");
  });

  it('reports a name that differs from the folder', async () => {
    const p = problemFor((await load()).problems, 'name-mismatch');
    expect(p.error.message).toContain('broken/name-mismatch: name "another-name" must equal the folder name "name-mismatch"');
  });

  it('lists every invalid option by its config path', async () => {
    const p = problemFor((await load()).problems, 'bad-options');
    expect(p.error.message).toContain('plugins.options["bad-options"].webhook.url: ');
    expect(p.error.message).toContain('plugins.options["bad-options"].retries: ');
  });

  it('reports required options that are missing from the config', async () => {
    const p = problemFor((await loadPlugins({ dir: broken })).problems, 'bad-options');
    expect(p.error.code).toBe(ErrorCodes.PLUGIN_OPTIONS_INVALID);
    expect(p.error.message).toContain('plugins.options["bad-options"].webhook: ');
  });

  it('lists every shape problem of a plugin in one error', async () => {
    const p = problemFor((await load()).problems, 'wrong-shape');
    const lines = p.error.message.split('\n');
    expect(lines.every((l) => l.includes('broken/wrong-shape: '))).toBe(true);
    expect(p.error.message).toContain('version: must be a version like "1.0.0"');
    expect(p.error.message).toContain('handlers.alert.handle: must be a function (add async handle(event, ctx) {...})');
    expect(p.error.message).toContain('handlers.alert.subscribe.routingKeys[0]: "inventory..changed" is not a valid topic pattern');
    expect(p.error.message).toContain('handlers.alert.subscribe.queue: must be a queue name');
    expect(p.error.message).toContain("handlers.alert.mode: must be 'inline' or 'worker'");
    expect(p.error.message).toContain('handlers.alert.retry.maxAttempts: must be an integer ≥ 1');
    expect(p.error.message).toContain('handlers.alert.retry.multiplier: must be a number ≥ 1');
    expect(p.error.message).toContain('handlers.alert.batch.size: must be an integer ≥ 1');
    expect(p.error.message).toContain('handlers.alert.timeoutMs: must be a positive integer');
    expect(p.error.message).toContain('handlers.alert: unknown field "retries"');
    expect(p.error.message).toContain('setup: must be a function');
    expect(p.error.message).toContain('options: must be a zod schema');
  });

  it('skips a disabled broken plugin without importing it', async () => {
    const { problems } = await loadPlugins({ dir: broken, options, disabled: ['syntax-error', 'throws'] });
    expect(problems.map((p) => p.plugin)).not.toContain('syntax-error');
    expect(problems.map((p) => p.plugin)).not.toContain('throws');
  });
});

describe('loadPluginObjects', () => {
  const plugin = (name: string) => ({
    name,
    version: '1.0.0',
    options: z.object({ level: z.string().default('low') }),
    handlers: { h: { subscribe: { routingKeys: ['inventory.#'] }, async handle() {} } },
  });

  it('validates plugins given in code and applies their option defaults', () => {
    const { plugins, problems } = loadPluginObjects([plugin('one'), { name: 'two' }]);
    expect(plugins.map((p) => [p.name, p.options, p.file])).toEqual([['one', { level: 'low' }, '']]);
    expect(problems.map((p) => [p.plugin, p.error.code])).toEqual([['two', ErrorCodes.PLUGIN_INVALID]]);
    expect(problems[0]!.error.message).toContain('plugin "two": handlers: must be an object of handlers');
  });

  it('reports a second plugin with the same name', () => {
    const { plugins, problems } = loadPluginObjects([plugin('twin'), plugin('twin')]);
    expect(plugins).toHaveLength(1);
    expect(problems.map((p) => p.error.code)).toEqual([ErrorCodes.PLUGIN_DUPLICATE]);
    expect(problems[0]!.error.message).toContain('plugin name "twin" is already used');
  });
});

describe('assertNoProblems', () => {
  it('returns when there is nothing to report', () => {
    expect(() => assertNoProblems([])).not.toThrow();
  });

  it('throws one error listing every problem with its code', async () => {
    const { problems } = await loadPlugins({ dir: broken });
    let thrown: unknown;
    try {
      assertNoProblems(problems);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StokcerdasError);
    const error = thrown as StokcerdasError;
    expect(error.message).toMatch(/^6 plugin problems:/);
    for (const p of problems) expect(error.message).toContain(`[${p.error.code}] ${p.error.message.split('\n')[0]}`);
    expect(error.details.problems).toHaveLength(6);
  });
});
