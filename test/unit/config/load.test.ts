import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { deepMerge, loadConfig } from '../../../config/load.ts';
import { ErrorCodes, StokcerdasError } from '../../../runtime/errors.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/config');
const fixture = (name: string) => path.join(fixtures, name);

const tempDirs: string[] = [];
// Each temp dir is its own project (package.json) so the upward search never reaches a stray
// stokcerdas.config.* in the shared tmp folder.
async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stokcerdas-config-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries({ 'package.json': '{}', ...files })) await writeFile(path.join(dir, name), content);
  return dir;
}
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function loadError(promise: Promise<unknown>): Promise<StokcerdasError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(StokcerdasError);
    return err as StokcerdasError;
  }
  throw new Error('expected loadConfig to reject');
}

describe('loadConfig', () => {
  it('lets the environment override the file and the flags override both', async () => {
    const { config } = await loadConfig({
      cwd: fixture('relative-import'),
      env: { STOKCERDAS_PREFIX: 'from-env', EVENT_BUS_MAX_RETRIES: '7', STOKCERDAS_HTTP_PORT: '9500' },
      flags: { prefix: 'from-flag' },
    });
    expect(config.broker.prefix).toBe('from-flag');
    expect(config.retry.maxAttempts).toBe(7);
    expect(config.http.port).toBe(9500);
    // untouched file values survive the deep merge
    expect(config.retry.delayMs).toBe(1000);
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.broker.prefetch).toBe(50);
  });

  it('merges plain objects key by key and replaces arrays', () => {
    const merged = deepMerge(
      { bindings: { 'a/b': { routingKeys: ['x.*', 'y.*'], mode: 'worker' } }, plugins: { disabled: ['p', 'q'] } },
      { bindings: { 'a/b': { routingKeys: ['z.#'] } }, plugins: { disabled: ['r'], strict: undefined } },
    );
    expect(merged).toEqual({ bindings: { 'a/b': { routingKeys: ['z.#'], mode: 'worker' } }, plugins: { disabled: ['r'] } });
  });

  it('loads a .ts config that imports defineConfig from the package name', async () => {
    const { config, filepath } = await loadConfig({ cwd: fixture('self-import'), env: {} });
    expect(filepath).toBe(path.join(fixture('self-import'), 'stokcerdas.config.ts'));
    expect(config.broker.prefix).toBe('from-self-import');
    expect(config.bindings['ml-forecasting/forecast']).toEqual({ mode: 'worker', retry: { maxAttempts: 5 } });
  });

  it('loads a .ts config that imports defineConfig by relative path', async () => {
    const { config } = await loadConfig({ cwd: fixture('relative-import'), env: {} });
    expect(config.broker.prefix).toBe('from-file');
    expect(config.plugins.disabled).toEqual(['a', 'b']);
  });

  it('finds a JSON config and a "stokcerdas" key in package.json', async () => {
    expect((await loadConfig({ cwd: fixture('json'), env: {} })).config.batch).toEqual({ size: 10, flushMs: 5000 });
    expect((await loadConfig({ cwd: fixture('package-json'), env: {} })).config.broker.prefix).toBe('from-package-json');
  });

  it('searches parent folders up to the project root', async () => {
    const root = await tempDir({ 'stokcerdas.config.json': '{"broker":{"prefix":"root"}}' });
    await mkdir(path.join(root, 'src', 'deep'), { recursive: true });
    const { config, filepath } = await loadConfig({ cwd: path.join(root, 'src', 'deep'), env: {} });
    expect(filepath).toBe(path.join(root, 'stokcerdas.config.json'));
    expect(config.broker.prefix).toBe('root');
  });

  it('stops searching at the folder holding package.json', async () => {
    const outer = await tempDir({ 'stokcerdas.config.json': '{"broker":{"prefix":"outside"}}' });
    await mkdir(path.join(outer, 'app', 'src'), { recursive: true });
    await writeFile(path.join(outer, 'app', 'package.json'), '{}');
    const { filepath } = await loadConfig({ cwd: path.join(outer, 'app', 'src'), env: {} });
    expect(filepath).toBeUndefined();
  });

  it('loads exactly the file given as --config, relative to cwd', async () => {
    const { config, filepath } = await loadConfig({ cwd: fixtures, configPath: 'json/stokcerdas.config.json', env: {} });
    expect(filepath).toBe(path.join(fixture('json'), 'stokcerdas.config.json'));
    expect(config.broker.prefix).toBe('from-json');
  });

  it('applies the defaults when no config file exists', async () => {
    const { config, filepath } = await loadConfig({ cwd: await tempDir(), env: {} });
    expect(filepath).toBeUndefined();
    expect(config.broker.prefix).toBe('stokcerdas');
    expect(config.retry).toEqual({ maxAttempts: 3, delayMs: 5000, multiplier: 2, maxDelayMs: 300000 });
  });

  it('leaves the broker URL unset and the transport on auto when nothing names a broker', async () => {
    const { config } = await loadConfig({ cwd: await tempDir(), env: { HOME: '/root' } });
    expect(config.broker.url).toBeUndefined();
    expect(config.transport).toBe('auto');
  });

  it('fails with CONFIG_NOT_FOUND naming a missing --config path', async () => {
    const cwd = await tempDir();
    const err = await loadError(loadConfig({ cwd, configPath: 'deploy/missing.config.ts', env: {} }));
    expect(err.code).toBe(ErrorCodes.CONFIG_NOT_FOUND);
    expect(err.message).toContain(path.join(cwd, 'deploy/missing.config.ts'));
  });

  it('fails with CONFIG_LOAD_FAILED naming a config file with a syntax error', async () => {
    const cwd = await tempDir({ 'stokcerdas.config.ts': 'export default { broker: { prefix: "x" ;\n' });
    const err = await loadError(loadConfig({ cwd, env: {} }));
    expect(err.code).toBe(ErrorCodes.CONFIG_LOAD_FAILED);
    expect(err.message).toContain(path.join(cwd, 'stokcerdas.config.ts'));
    expect(err.message).toMatch(/Expected "}"/);
  });

  it('fails with CONFIG_LOAD_FAILED carrying the cause when the config file throws, password masked', async () => {
    const cwd = await tempDir({ 'stokcerdas.config.mjs': 'throw new Error("cannot reach amqp://bob:hunter2@mq");\n' });
    const err = await loadError(loadConfig({ cwd, env: {} }));
    expect(err.code).toBe(ErrorCodes.CONFIG_LOAD_FAILED);
    expect(err.message).toContain('stokcerdas.config.mjs');
    expect(err.message).toContain('cannot reach amqp://bob:***@mq');
    expect(err.message).not.toContain('hunter2');
  });

  it('lists every schema problem by path in one CONFIG_INVALID error', async () => {
    const err = await loadError(loadConfig({ cwd: fixture('invalid'), env: {} }));
    expect(err.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(err.message).toContain('bindings["ml-forecasting/forecast"].retry.maxAttempts: Too small');
    expect(err.message).toContain('http.port: Too big');
    expect(err.message).toContain('broker.prefetchh: Unrecognized key');
    expect(err.details.filepath).toBe(path.join(fixture('invalid'), 'stokcerdas.config.ts'));
    expect(err.details.problems).toEqual(expect.arrayContaining([
      { path: 'bindings["ml-forecasting/forecast"].retry.maxAttempts', message: expect.stringMatching(/^Too small/) },
      { path: 'http.port', message: expect.stringMatching(/^Too big/) },
      { path: 'broker.prefetchh', message: expect.any(String) },
    ]));
  });

  it('lists bad environment values by variable name alongside the schema problems', async () => {
    const err = await loadError(loadConfig({
      cwd: fixture('invalid'),
      env: { EVENT_BUS_MAX_RETRIES: 'abc', EVENT_BUS_DEFAULT_PRIORITY: '12' },
      flags: { httpPort: 'eighty' },
    }));
    const paths = (err.details.problems as { path: string }[]).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['EVENT_BUS_MAX_RETRIES', 'EVENT_BUS_DEFAULT_PRIORITY', '--http-port', 'broker.prefetchh']));
    expect(err.message).toContain('EVENT_BUS_DEFAULT_PRIORITY: Too big: expected number to be <=9 (sets broker.defaultPriority)');
  });

  it('rejects the amqp transport without a broker URL', async () => {
    const err = await loadError(loadConfig({ cwd: await tempDir(), env: { EVENT_BUS_DISTRIBUTED_ENABLED: 'true' } }));
    expect(err.details.problems).toEqual([{ path: 'EVENT_BUS_DISTRIBUTED_ENABLED', message: expect.stringMatching(/needs a broker URL/) }]);
  });

  it('reports a config module without a default export', async () => {
    const cwd = await tempDir({ 'stokcerdas.config.mjs': 'export const broker = {};\n' });
    const err = await loadError(loadConfig({ cwd, env: {} }));
    expect(err.details.problems).toEqual([{ path: '(root)', message: expect.stringMatching(/no default export/) }]);
  });
});
