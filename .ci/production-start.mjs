#!/usr/bin/env node
// What the Docker image does, outside a container (.ci/docker-smoke.sh builds and runs the image
// itself where a Docker engine can run, and falls back to this where none can): copy the
// files the Dockerfile COPYs, run its `npm ci --omit=dev`, then its runtime stage's `node` steps
// (the build into dist/, `check`), start its CMD with its ENV, poll
// /healthz until 200, check /readyz and the token, SIGTERM, expect exit 0. Everything is read from
// the Dockerfile, so the check follows it when it changes.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const log = (line) => console.log(`== production start: ${line}`);

function fail(message) {
  console.error(`production start FAILED: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

/** The runtime stage (after the last FROM): its ENV, COPY sources, CMD; and the deps stage's npm ci. */
function readDockerfile() {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const lastFrom = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const runtime = lines.slice(lastFrom + 1);
  const env = {};
  for (const l of runtime.filter((l) => /^ENV\s/i.test(l))) {
    for (const m of l.slice(4).matchAll(/([A-Z0-9_]+)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  const sources = [];
  for (const l of runtime.filter((l) => /^COPY\s/i.test(l) && !/--from=/.test(l))) {
    const parts = l.split(/\s+/).slice(1).filter((p) => !p.startsWith('--'));
    sources.push(...parts.slice(0, -1));
  }
  const cmdLine = runtime.find((l) => /^CMD\s/i.test(l));
  if (!cmdLine) fail('the Dockerfile has no CMD in its last stage');
  const cmd = JSON.parse(cmdLine.slice(4).trim());
  if (!Array.isArray(cmd)) fail('CMD must be in exec form (a JSON array) so SIGTERM reaches node');
  const npmCi = lines.map((l) => /npm ci[^&]*/.exec(l)?.[0]).find(Boolean)?.trim();
  if (!npmCi || !npmCi.includes('--omit=dev')) fail('the Dockerfile must install with `npm ci --omit=dev`');
  // the runtime stage's steps that run node in /app (VAR=value prefixes allowed); mkdir/chown are the image's own
  const nodeSteps = runtime
    .filter((l) => /^RUN\s/i.test(l))
    .map((l) => l.slice(4).trim())
    .filter((c) => /^([A-Z0-9_]+=\S+\s+)*node\s/.test(c));
  return { env, sources, cmd, npmCi, nodeSteps };
}

const freePort = () =>
  new Promise((done, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

async function get(port, path, headers = {}) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers, signal: AbortSignal.timeout(2_000) });
    return { status: res.status, text: await res.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

/** `<pkg>/build` of every package that compiled a native addon (`build/Release/*.node`). */
function nativeBuilds(modules) {
  const out = [];
  const visit = (name) => {
    if (existsSync(join(modules, name, 'build', 'Release'))) out.push(join(name, 'build'));
  };
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('@')) for (const sub of readdirSync(join(modules, entry))) visit(join(entry, sub));
    else if (!entry.startsWith('.')) visit(entry);
  }
  return out;
}

const docker = readDockerfile();
const work = mkdtempSync(join(tmpdir(), 'stokcerdas-production-'));
const prefix = `ci-prod-${randomBytes(3).toString('hex')}`;
let child;
try {
  // the tracked files (and new ones not ignored), restricted to what the image COPYs
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(join(ROOT, f)))
    .filter((f) => docker.sources.some((s) => f === s || f.startsWith(`${s.replace(/\/$/, '')}/`)))
    .filter((f) => !f.endsWith('.test.ts'));
  for (const f of files) {
    mkdirSync(dirname(join(work, f)), { recursive: true });
    cpSync(join(ROOT, f), join(work, f));
  }
  // CI cannot download prebuilt native binaries (prebuild-install falls back to a ~2.5 min compile):
  // install scripts are skipped and the addons the repo's own `npm ci` built (same lockfile, same
  // node) are copied in. A Docker build runs them as usual.
  log(`${files.length} files copied to ${work}; running \`${docker.npmCi} --ignore-scripts\``);
  const [, ...npmArgs] = docker.npmCi.split(/\s+/);
  execFileSync('npm', [...npmArgs, '--ignore-scripts'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  for (const addon of nativeBuilds(join(ROOT, 'node_modules'))) {
    const target = join(work, 'node_modules', addon);
    if (existsSync(dirname(target))) cpSync(join(ROOT, 'node_modules', addon), target, { recursive: true });
  }
  if (existsSync(join(work, 'node_modules', 'vitest'))) fail('vitest (a devDependency) was installed by --omit=dev');
  for (const step of docker.nodeSteps) {
    log(`RUN ${step}`);
    execFileSync('sh', ['-c', step], { cwd: work, env: { ...process.env, ...docker.env }, stdio: ['ignore', 'inherit', 'inherit'] });
  }

  const port = await freePort();
  const token = randomBytes(12).toString('hex');
  const env = {
    ...process.env,
    ...docker.env,
    STOKCERDAS_HTTP_PORT: String(port),
    STOKCERDAS_HTTP_TOKEN: token,
    STOKCERDAS_PREFIX: prefix,
    RABBITMQ_URL: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  };
  const [bin, ...args] = docker.cmd;
  log(`starting \`${docker.cmd.join(' ')}\` (HTTP ${env.STOKCERDAS_HTTP_HOST}:${port}, prefix ${prefix})`);
  let output = '';
  child = spawn(bin === 'node' ? process.execPath : bin, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));

  const deadline = Date.now() + 60_000;
  let health;
  while ((health = await get(port, '/healthz')).status !== 200) {
    if (child.exitCode !== null) fail(`the host exited (${child.exitCode}) before /healthz answered:\n${output}`);
    if (Date.now() > deadline) fail(`/healthz did not answer 200 within 60 s (last ${health.status}):\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log('/healthz 200');
  while ((await get(port, '/readyz')).status !== 200) {
    if (Date.now() > deadline) fail(`/readyz did not answer 200 within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log('/readyz 200');
  if (output.includes('plugin skipped')) fail(`a bundled plugin did not load in the production install:\n${output}`);
  if (output.includes('through tsx')) fail(`the production start did not run the compiled build:\n${output}`);
  if ((await get(port, '/metrics')).status !== 401) fail('/metrics answered without the bearer token');
  const metrics = await get(port, '/metrics', { authorization: `Bearer ${token}` });
  if (metrics.status !== 200 || !metrics.text.includes('stokcerdas_broker_connected 1')) fail(`/metrics with the token: ${metrics.status}`);
  log('/metrics 401 without the token, 200 with it');

  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const { code, signal } = await exited;
  clearTimeout(timer);
  if (code !== 0) fail(`SIGTERM → exit ${code ?? signal} (expected 0):\n${output}`);
  if (!output.includes('"msg":"stopped"')) fail(`no "stopped" line after SIGTERM:\n${output}`);
  if (output.includes(token)) fail('the HTTP token appeared in the output');
  log('SIGTERM → drained and exited 0');
  console.log('production start: 1 passed, 0 failed');
} finally {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  // the queues and exchanges the host declared under its own prefix
  try {
    execFileSync(process.execPath, ['--import', 'tsx', '-e', `import('./test/support/broker.ts').then(async (b) => b.deleteByPrefix(await b.getBrokerUrl(), '${prefix}'))`], {
      cwd: ROOT,
      stdio: 'ignore',
      timeout: 60_000,
    });
  } catch {
    // leftovers under a ci-prod-* prefix harm nobody
  }
}
