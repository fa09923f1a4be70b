import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/stokcerdas.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; until?: RegExp; signal?: NodeJS.Signals; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const env = { ...process.env, ...opts.env };
    for (const key of Object.keys(env)) if (key.startsWith('RABBITMQ_') || key.startsWith('EVENT_BUS_')) delete env[key];
    Object.assign(env, opts.env);
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const onData = () => {
      if (opts.until && !signalled && opts.until.test(stdout + stderr)) {
        signalled = true;
        child.kill(opts.signal ?? 'SIGTERM');
      }
    };
    child.stdout.on('data', (d) => ((stdout += d), onData()));
    child.stderr.on('data', (d) => ((stderr += d), onData()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`stokcerdas ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function workdir(config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stokcerdas-cli-'));
  dirs.push(dir);
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  await writeFile(join(dir, 'stokcerdas.config.mjs'), `export default ${JSON.stringify(config)};`);
  return dir;
}

/** A folder plugin `plugins/<name>/index.mjs` with one worker-mode handler; `prelude` runs at import. */
async function workerPlugin(cwd: string, name: string, handler: string, prelude = ''): Promise<void> {
  await mkdir(join(cwd, 'plugins', name), { recursive: true });
  const source = `import { isMainThread } from 'node:worker_threads';
${prelude}
export default { name: '${name}', version: '1.0.0', handlers: {
  ${handler}: { subscribe: { routingKeys: ['inventory.stock.level.changed'] }, mode: 'worker', async handle() {} },
} };`;
  await writeFile(join(cwd, 'plugins', name, 'index.mjs'), source);
}

describe('stokcerdas CLI', () => {
  it('start logs ready with the counts, and SIGTERM stops it cleanly', async () => {
    const cwd = await workdir({ plugins: { dir: join(ROOT, 'test/fixtures/plugins/good') }, http: { enabled: false } });
    const result = await run(['start'], { cwd, until: /"msg":"ready/ });
    expect(result.code).toBe(0);
    const ready = result.stdout.split('\n').find((l) => l.includes('"msg":"ready'))!;
    expect(JSON.parse(ready)).toMatchObject({ plugins: 3, transport: 'memory' });
    expect(result.stdout).toContain('memory transport');
    expect(result.stdout).toContain('"msg":"stopped"');
  });

  it('start --demo feeds the live demo day after day until Ctrl-C, then stops cleanly', async () => {
    // 0.1 minutes a day: the second day's traffic starts within seconds of the first
    const result = await run(['start', '--demo', '--minutes', '0.1', '--http-host', '127.0.0.1', '--http-port', '0'], { until: /2026-03-11 in 0\.1 min/, signal: 'SIGINT', timeoutMs: 120_000 });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/console: http:\/\/127\.0\.0\.1:\d+\/ui/);
    expect(result.stderr).toMatch(/2026-03-10 in 0\.1 min[^\n]*events published/);
  }, 150_000);

  it('check lists every plugin problem and exits 1', async () => {
    const cwd = await workdir({ plugins: { dir: join(ROOT, 'test/fixtures/plugins/broken') } });
    const result = await run(['check'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('STOKCERDAS_PLUGIN_NAME_MISMATCH');
    expect(result.stderr).toContain('STOKCERDAS_PLUGIN_LOAD_FAILED');
    expect(result.stderr).toMatch(/problems found/);
  });

  it('check imports worker-mode plugins on a worker thread and passes the good ones', async () => {
    const cwd = await workdir({ plugins: { dir: 'plugins' } });
    await workerPlugin(cwd, 'worker-good', 'count');
    const result = await run(['check'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('plugins: 1 loaded, bindings: 1');
    expect(result.stdout).toContain('ok: no problems found');
  });

  it('check fails on a worker plugin that loads on the main thread but not on a worker thread, naming it and the cause', async () => {
    const cwd = await workdir({ plugins: { dir: 'plugins' } });
    await workerPlugin(cwd, 'worker-good', 'count');
    await workerPlugin(cwd, 'worker-broken', 'never', `if (!isMainThread) throw new Error('this module refuses to load on a worker thread');`);
    const result = await run(['check'], { cwd });
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('✗'));
    expect(lines).toEqual([expect.stringMatching(/^✗ \[STOKCERDAS_PLUGIN_LOAD_FAILED\] plugin "worker-broken" \(plugins\/worker-broken\/index\.mjs\).*"worker-broken\/never".*refuses to load on a worker thread/)]);
    expect(result.stderr).toContain('1 problem found');
  });

  it('check reports an invalid config by path and exits 1', async () => {
    const cwd = await workdir({ retry: { maxAttempts: 0 } });
    const result = await run(['check'], { cwd, env: { EVENT_BUS_BATCH_SIZE: 'many' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('retry.maxAttempts');
    expect(result.stderr).toContain('EVENT_BUS_BATCH_SIZE');
  });

  it('never prints the broker password', async () => {
    const cwd = await workdir({ retry: { maxAttempts: 0 } });
    const result = await run(['check', '--broker-url', 'amqp://admin:s3cr3t-pw@127.0.0.1:1/'], { cwd });
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-pw');
  });

  it('new-plugin scaffolds a plugin whose generated test passes as it stands', async () => {
    const rel = `test/tmp-scaffold-${process.pid}`;
    const dir = join(ROOT, rel);
    dirs.push(dir);
    const created = await run(['new-plugin', 'stock-watch', '--plugins-dir', rel]);
    expect(created.code, created.stderr).toBe(0);
    const tested = await new Promise<Run>((done) => {
      const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', `${rel}/stock-watch`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => done({ code, stdout, stderr }));
    });
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/2 passed/);
  }, 60_000);
});
