import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteByPrefix, getBrokerUrl, rabbitmqctl, uniquePrefix } from '../../support/broker.ts';
import { request } from '../../support/http.ts';

// Credentials never appear in anything the host prints or serves.
const ROOT = resolve(import.meta.dirname, '../../..');
const prefix = uniquePrefix('creds');
const user = `${prefix}-user`;
const password = `pw-${randomBytes(6).toString('hex')}-Secret`;
const token = `tok-${randomBytes(6).toString('hex')}`;
let brokerHost: string;
let cwd: string;

beforeAll(async () => {
  brokerHost = new URL(await getBrokerUrl()).host;
  await rabbitmqctl('add_user', user, password);
  await rabbitmqctl('set_permissions', '-p', '/', user, '.*', '.*', '.*');
  cwd = await mkdtemp(join(tmpdir(), 'stokcerdas-creds-'));
  await writeFile(join(cwd, 'package.json'), '{"type":"module"}');
  await writeFile(join(cwd, 'stokcerdas.config.mjs'), `export default ${JSON.stringify({ plugins: { dir: join(ROOT, 'test/fixtures/dlq-plugins') } })};`);
});

afterAll(async () => {
  await rabbitmqctl('delete_user', user).catch(() => undefined);
  await deleteByPrefix(await getBrokerUrl(), prefix);
  await rm(cwd, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  output: string;
  stats?: string;
}

/** `stokcerdas start` until "ready" (then reads /stats and sends SIGTERM), or until it exits. */
function start(env: Record<string, string>): Promise<Run> {
  return new Promise((done, fail) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(childEnv)) if (/^(RABBITMQ_|EVENT_BUS_|STOKCERDAS_)/.test(key)) delete childEnv[key];
    Object.assign(childEnv, env);
    const child = spawn(process.execPath, [join(ROOT, 'bin/stokcerdas.mjs'), 'start', '--log-level', 'debug'], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stats: string | undefined;
    let signalled = false;
    const onData = async (d: Buffer) => {
      output += d;
      if (signalled || !/"msg":"ready/.test(output)) return;
      signalled = true;
      const port = Number(/http listening on [^:]+:(\d+)/.exec(output)?.[1]);
      stats = (await request(port, 'GET', '/stats', { headers: { authorization: `Bearer ${token}` } }).catch((e: Error) => ({ text: e.message }))).text;
      child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`start timed out:\n${output}`));
    }, 45_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output, stats });
    });
  });
}

describe('credentials never reach the output', () => {
  it('a host started with a password in RABBITMQ_URL and an HTTP token prints neither, nor serves them in /stats', async () => {
    const run = await start({
      RABBITMQ_URL: `amqp://${user}:${password}@${brokerHost}/`,
      STOKCERDAS_PREFIX: prefix,
      STOKCERDAS_HTTP_PORT: '0',
      STOKCERDAS_HTTP_TOKEN: token,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('"msg":"ready');
    expect(run.output).toContain('"msg":"stopped"');
    expect(run.stats).toContain('"subscriptions"');
    for (const secret of [password, token]) {
      expect(run.output).not.toContain(secret);
      expect(run.stats).not.toContain(secret);
    }
  });

  it('a refused login fails the start without printing the password', async () => {
    const wrong = `${password}-wrong`;
    const run = await start({ RABBITMQ_HOST: brokerHost.split(':')[0]!, RABBITMQ_USERNAME: user, RABBITMQ_PASSWORD: wrong, STOKCERDAS_PREFIX: prefix, STOKCERDAS_HTTP_PORT: '0' });
    expect(run.code).toBe(1);
    expect(run.output.length).toBeGreaterThan(0);
    expect(run.output).not.toContain(wrong);
    expect(run.output).not.toContain(password);
  });
});
