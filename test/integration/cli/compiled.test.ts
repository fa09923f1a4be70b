import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A copy of the package (node_modules linked) built with bin/build.mjs, so the tests can change its
// sources without touching this checkout's dist/, which other tests' CLI runs use meanwhile.
const ROOT = resolve(import.meta.dirname, '../../..');
let pkg: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(childEnv)) if (/^(RABBITMQ_|EVENT_BUS_|STOKCERDAS_)/.test(key)) delete childEnv[key];
    // an ephemeral port: several hosts may start on this machine at once
    Object.assign(childEnv, { STOKCERDAS_HTTP_PORT: '0' }, env);
    const child = spawn(process.execPath, [join(pkg, 'bin/stokcerdas.mjs'), 'start'], { cwd: pkg, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const onData = () => {
      if (/"msg":"ready/.test(stdout) && child.exitCode === null && !child.killed) child.kill('SIGTERM');
    };
    child.stdout.on('data', (d) => ((stdout += d), onData()));
    child.stderr.on('data', (d) => ((stderr += d), onData()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no ready line\n${stdout}\n${stderr}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const readyLine = (r: Run) => JSON.parse(r.stdout.split('\n').find((l) => l.includes('"msg":"ready'))!) as Record<string, unknown>;

beforeAll(() => {
  pkg = mkdtempSync(join(tmpdir(), 'stokcerdas-compiled-'));
  for (const entry of ['package.json', 'tsconfig.json', 'stokcerdas.config.ts', 'bin', 'errors', 'config', 'runtime', 'plugins']) {
    cpSync(join(ROOT, entry), join(pkg, entry), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(pkg, 'bin/build.mjs'), '--quiet'], { cwd: pkg, stdio: 'inherit' });
}, 120_000);

afterAll(() => {
  if (pkg) rmSync(pkg, { recursive: true, force: true });
});

describe('the compiled build (dist/)', () => {
  it('starts the bundled plugins from dist/, without tsx', async () => {
    const result = await start();
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('through tsx');
    expect(readyLine(result)).toMatchObject({ plugins: 4, skipped: 0, transport: 'memory' });
  });

  it('loads a drop-in TypeScript plugin through tsx, its worker-mode handler included, beside the compiled ones', async () => {
    const dir = join(pkg, 'plugins', 'drop-in');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'helper.ts'), `export const label: string = 'drop-in';\n`);
    writeFileSync(
      join(dir, 'index.ts'),
      `import { definePlugin, NonRetryableError } from 'stokcerdas';
import { label } from './helper.ts';
export default definePlugin({
  name: 'drop-in',
  version: '1.0.0',
  setup(ctx) { ctx.logger.info({ label, sameErrors: typeof NonRetryableError === 'function' }, 'drop-in set up'); },
  handlers: {
    onStock: { subscribe: { routingKeys: ['inventory.stock.level.changed'] }, mode: 'worker', handle() {} },
  },
});
`,
    );
    try {
      const result = await start();
      expect(result.code).toBe(0);
      expect(readyLine(result)).toMatchObject({ plugins: 5, skipped: 0 });
      expect(result.stdout).toContain('"label":"drop-in"');
      expect(result.stderr).not.toContain('through tsx');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads an edited bundled plugin from its sources through tsx, and says so', async () => {
    const file = join(pkg, 'plugins', 'notifications', 'messages.ts');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n// edited after the build\n`);
    try {
      const result = await start();
      expect(result.code).toBe(0);
      expect(readyLine(result)).toMatchObject({ plugins: 4, skipped: 0 });
      expect(result.stderr).toContain('plugins/notifications/messages.ts changed after the build; loading plugins/notifications/ through tsx');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('falls back to the TypeScript sources when the runtime changed after the build, naming the file', async () => {
    const file = join(pkg, 'runtime', 'clock', 'index.ts');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n// edited after the build\n`);
    try {
      const result = await start();
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('runtime/clock/index.ts changed after the build; running the TypeScript sources through tsx');
      expect(readyLine(result)).toMatchObject({ plugins: 4, skipped: 0 });
    } finally {
      writeFileSync(file, original);
    }
  });

  it('falls back to the sources when there is no build', async () => {
    rmSync(join(pkg, 'dist', 'manifest.json'));
    const result = await start();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('there is no compiled build (dist/manifest.json); running the TypeScript sources through tsx');
    expect(readyLine(result)).toMatchObject({ plugins: 4, skipped: 0 });
  });
});
