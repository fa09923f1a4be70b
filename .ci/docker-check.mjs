#!/usr/bin/env node
// Runs a built image (usage: docker-check.mjs IMAGE) with the host's network against the test broker,
// as a user would, with a plugins folder and a config of our own mounted and a named volume on
// /app/data, and checks: the ready line, /healthz and /readyz, the token rule, POST /events handled,
// the image's HEALTHCHECK turning healthy, a non-root process, promtool on /metrics, the sqlite
// store writing to the volume, `docker stop` draining and exiting 0, a lean image, and the strict
// default (a broken plugin stops the start; non-strict shows it skipped everywhere).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { probePlugin, brokenPlugin, smokeConfig } from './docker-fixtures.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const image = process.argv[2] ?? 'stokcerdas:ci';
const id = randomBytes(3).toString('hex');
const prefix = `ci-docker-${id}`;
const volume = `stokcerdas-ci-data-${id}`;
const token = randomBytes(12).toString('hex');
const brokerUrl = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const containers = [];
let passed = 0;

const say = (line) => console.log(`== docker check: ${line}`);
const ok = (line) => {
  passed++;
  say(`ok ${line}`);
};
function fail(message) {
  console.error(`docker check FAILED: ${message}`);
  throw new Error(message);
}
const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const logsOf = (name) => {
  const r = spawnSync('docker', ['logs', name], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};
const jsonLines = (text) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return undefined;
      }
    })
    .filter(Boolean);

const freePort = () =>
  new Promise((done, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

async function http(port, method, path, { auth = false, body } = {}) {
  const headers = auth ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body, signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  } catch {
    return { status: 0, text: '', json: () => ({}) };
  }
}

async function until(what, ms, probe) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) fail(`${what}: not within ${ms / 1000} s`);
    await sleep(250);
  }
}

/** A folder the container's `node` user can read (mkdtemp makes 0700 folders). */
function readable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) readable(path);
    else chmodSync(path, 0o644);
  }
}

function run(name, port, plugins, extra = []) {
  containers.push(name);
  docker(
    'run', '-d', '--name', name, '--network', 'host',
    '-e', `RABBITMQ_URL=${brokerUrl}`, '-e', `STOKCERDAS_HTTP_TOKEN=${token}`,
    '-e', `STOKCERDAS_HTTP_PORT=${port}`, '-e', `STOKCERDAS_PREFIX=${prefix}`,
    '-v', `${plugins}:/app/plugins:ro`, '-v', `${join(work, 'stokcerdas.config.ts')}:/app/stokcerdas.config.ts:ro`,
    ...extra, image,
  );
}

const devDependencies = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies ?? {});
/** `npm ls NAME --omit=dev` finds it: a production dependency needs it. */
const productionNeeds = (name) => spawnSync('npm', ['ls', name, '--omit=dev', '--parseable'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() !== '';

const work = mkdtempSync('/tmp/stokcerdas-docker-check-');
try {
  // our plugins folder: the bundled ones plus a probe; a second one adds a plugin whose setup() throws
  const plugins = join(work, 'plugins');
  cpSync(join(ROOT, 'plugins'), plugins, { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  mkdirSync(join(plugins, 'smoke'));
  writeFileSync(join(plugins, 'smoke', 'index.ts'), probePlugin);
  const pluginsBroken = join(work, 'plugins-broken');
  cpSync(plugins, pluginsBroken, { recursive: true });
  mkdirSync(join(pluginsBroken, 'broken'));
  writeFileSync(join(pluginsBroken, 'broken', 'index.ts'), brokenPlugin);
  writeFileSync(join(work, 'stokcerdas.config.ts'), smokeConfig);
  readable(work);
  const bundled = readdirSync(join(ROOT, 'plugins')).filter((d) => statSync(join(ROOT, 'plugins', d)).isDirectory()).length;

  // --- the image as built
  const user = docker('image', 'inspect', '-f', '{{.Config.User}}', image);
  const volumes = docker('image', 'inspect', '-f', '{{json .Config.Volumes}}', image);
  if (user !== 'node') fail(`the image's USER is "${user}" (expected node)`);
  if (!volumes.includes('/app/data')) fail(`/app/data is not a VOLUME of the image (${volumes})`);
  const lean = spawnSync('docker', ['run', '--rm', '--network', 'none', '-u', '0', '--entrypoint', 'sh', image, '-c', [
    'stat -c "%U" /app/data',
    'find /app/node_modules -type f \\( -path "*/build/Release/*" ! -name "*.node" -o -name "*.o" -o -name "*.a" -o -name "*.target.mk" -o -name "test_extension.node" -o -path "*/better-sqlite3/deps/*" \\) | head -n 5',
    `cd /app/node_modules && ls -d ${devDependencies.join(' ')} 2>/dev/null`,
    // /tmp/tsx-1000 may be there: tsx's cache, should a build step have compiled TypeScript on the fly
    'ls -d /root/.npm /home/node/.npm /root/.cache /home/node/.cache /tmp/* 2>/dev/null | grep -v "^/tmp/tsx-1000$"',
    'ls /var/lib/apt/lists | grep -v -e "^lock$" -e "^partial$" | head -n 3',
  ].join('; echo --; ')], { encoding: 'utf8' });
  const [owner, leftovers, devPresent, caches, aptLists] = lean.stdout.split('--\n').map((s) => s.trim());
  // a devDependency may also be a production one's dependency (typescript: cosmiconfig loads the .ts config with it)
  const devOnly = devPresent.split('\n').filter(Boolean).filter((name) => !productionNeeds(name));
  if (owner !== 'node') fail(`/app/data is owned by ${owner} (expected node)`);
  if (leftovers) fail(`compile leftovers in node_modules:\n${leftovers}`);
  if (devOnly.length > 0) fail(`dev dependencies in the image: ${devOnly.join(', ')}`);
  if (caches) fail(`caches in the image:\n${caches}`);
  if (aptLists) fail(`apt lists in the image:\n${aptLists}`);
  ok(`USER node, VOLUME /app/data owned by node; no compile leftovers, no dev-only dependencies (${devPresent ? `${devPresent.split('\n').join(', ')} needed in production` : 'none at all'}), no npm or apt caches`);

  // --- the host on the broker, our plugins and config mounted, a named volume on /app/data
  const port = await freePort();
  const main = `stokcerdas-ci-${id}`;
  const t0 = Date.now();
  run(main, port, plugins, ['-v', `${volume}:/app/data`]);
  await until('/healthz 200', 60_000, async () => {
    if (docker('inspect', '-f', '{{.State.Running}}', main) !== 'true') fail(`the container stopped:\n${logsOf(main)}`);
    return (await http(port, 'GET', '/healthz')).status === 200;
  });
  const healthzMs = Date.now() - t0;
  const readyz = await until('/readyz 200', 60_000, async () => {
    const r = await http(port, 'GET', '/readyz');
    return r.status === 200 && r.json();
  });
  const readyMs = Date.now() - t0;
  ok(`start to /healthz 200 in ${healthzMs} ms, to /readyz 200 in ${readyMs} ms (docker run → ready, HTTP port ${port})`);
  if (JSON.stringify(readyz.skippedPlugins) !== '[]') fail(`/readyz skippedPlugins: ${JSON.stringify(readyz.skippedPlugins)}`);

  let lines = jsonLines(logsOf(main));
  const ready = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('ready:'));
  if (!ready) fail(`no ready line:\n${logsOf(main)}`);
  if (ready.plugins !== bundled + 1 || ready.skipped !== 0 || ready.transport !== 'amqp') fail(`ready line: ${JSON.stringify(ready)}`);
  const setup = lines.find((l) => l.msg === 'smoke setup');
  if (setup?.marker !== 'from-the-mounted-config') fail(`the mounted config's options did not reach the mounted plugin: ${JSON.stringify(setup)}`);
  ok(`ready line "${ready.msg}"; the mounted plugins/ (smoke) and config (its options) are used`);
  const startedAt = Date.parse(docker('inspect', '-f', '{{.State.StartedAt}}', main));
  say(`timing: container start → ready line ${ready.time - startedAt} ms (node, config, plugins, broker; tsx for the mounted ones); docker run → /readyz 200 ${readyMs} ms`);

  for (const [method, path] of [['GET', '/metrics'], ['GET', '/stats'], ['POST', '/events']]) {
    const r = await http(port, method, path, { body: method === 'POST' ? '{}' : undefined });
    if (r.status !== 401) fail(`${method} ${path} without the token answered ${r.status} (expected 401)`);
  }
  const metrics = await http(port, 'GET', '/metrics', { auth: true });
  if (metrics.status !== 200 || !metrics.text.includes('stokcerdas_broker_connected 1')) fail(`/metrics with the token: ${metrics.status}`);
  if (!/^stokcerdas_plugins_skipped 0$/m.test(metrics.text)) fail('/metrics has no stokcerdas_plugins_skipped 0');
  ok('/metrics, /stats and POST /events answer 401 without the token, /metrics 200 with it');

  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: metrics.text, encoding: 'utf8' });
  if (promtool.error) {
    if (process.env.CI) fail('promtool is not installed (Debian package prometheus)');
    say('promtool not installed: /metrics not linted');
  } else if (promtool.status !== 0) fail(`promtool check metrics:\n${promtool.stdout}${promtool.stderr}`);
  else ok('promtool check metrics passes on the live /metrics');

  const events = JSON.stringify([
    { type: 'orders.smoke.probe', data: { probe: 'P-1' } },
    { type: 'orders.order.completed', tenantId: 't-ci', data: { orderId: `O-${id}`, items: [{ productId: 'SKU-1', quantity: 3, unitPrice: 15_000 }] } },
  ]);
  const posted = await http(port, 'POST', '/events', { auth: true, body: events });
  if (posted.status !== 202) fail(`POST /events: ${posted.status} ${posted.text}`);
  const [probeId] = posted.json().ids;
  await until('the probe event handled', 20_000, () => logsOf(main).includes(`smoke handled ${probeId}`));
  const stats = (await http(port, 'GET', '/stats', { auth: true })).json();
  const sub = stats.subscriptions.find((s) => s.handler === 'smoke/probe');
  if (!sub || sub.succeeded < 1) fail(`/stats: smoke/probe ${JSON.stringify(sub)}`);
  ok(`POST /events 202, the event handled by the mounted plugin (/stats smoke/probe succeeded ${sub.succeeded})`);

  // read with the image's own better-sqlite3 (`docker exec` into the host, or a new container on the volume)
  const countRows = (dockerArgs) =>
    spawnSync('docker', [...dockerArgs, 'node', '-e', "const D=require('better-sqlite3');const db=new D('/app/data/ml-forecasting.sqlite',{readonly:true,fileMustExist:true});process.stdout.write(String(db.prepare('select count(*) c from mlf_demand').get().c))"], {
      encoding: 'utf8',
    }).stdout.trim();
  await until('ml-forecasting wrote the completed order to sqlite', 20_000, () => Number(countRows(['exec', main])) >= 1);
  ok('ml-forecasting on store sqlite (default path data/…) wrote the order under /app/data');

  await until('HEALTHCHECK healthy', 90_000, () => docker('inspect', '-f', '{{.State.Health.Status}}', main) === 'healthy');
  ok(`HEALTHCHECK healthy ${Math.round((Date.now() - t0) / 1000)} s after docker run (the image's own interval, 15 s)`);
  const uid = docker('exec', main, 'sh', '-c', "awk '/^Uid:/ {print $2}' /proc/1/status");
  if (uid === '0') fail('PID 1 runs as root');
  ok(`PID 1 (node) runs as uid ${uid}`);

  // --- docker stop while a slow event is in flight: it finishes, then the host exits 0
  const slow = await http(port, 'POST', '/events', { auth: true, body: JSON.stringify({ type: 'orders.smoke.probe', data: { probe: 'slow', slowMs: 2_000 } }) });
  const [slowId] = slow.json().ids;
  await until('the slow event started', 10_000, () => logsOf(main).includes(`smoke started ${slowId}`));
  const stopAt = Date.now();
  docker('stop', '-t', '45', main);
  const stopMs = Date.now() - stopAt;
  const exit = docker('inspect', '-f', '{{.State.ExitCode}}', main);
  lines = jsonLines(logsOf(main));
  const handledAt = lines.findIndex((l) => l.msg === `smoke handled ${slowId}`);
  const stoppedAt = lines.findIndex((l) => l.msg === 'stopped');
  if (exit !== '0') fail(`docker stop → exit ${exit}:\n${logsOf(main)}`);
  if (handledAt < 0 || stoppedAt < handledAt) fail(`the in-flight event was not finished before "stopped":\n${logsOf(main)}`);
  if (logsOf(main).includes(token)) fail('the HTTP token appeared in the logs');
  ok(`docker stop with an event in flight: it finished, "stopped", exit 0 in ${stopMs} ms`);

  const rows = countRows(['run', '--rm', '--network', 'none', '-v', `${volume}:/app/data`, image]);
  if (!(Number(rows) >= 1)) fail(`the volume ${volume} holds no demand rows after the container stopped (${rows})`);
  ok(`the named volume keeps ml-forecasting.sqlite after the container is gone (${rows} demand rows)`);

  // --- strict by default: a plugin whose setup() throws stops the start
  const strictName = `stokcerdas-ci-${id}-strict`;
  const strictAt = Date.now();
  run(strictName, await freePort(), pluginsBroken);
  await until('the strict host exits', 60_000, () => docker('inspect', '-f', '{{.State.Running}}', strictName) === 'false');
  const strictExit = docker('inspect', '-f', '{{.State.ExitCode}}', strictName);
  if (strictExit === '0' || !logsOf(strictName).includes('PLUGIN_SETUP_FAILED')) fail(`strict default: exit ${strictExit}:\n${logsOf(strictName)}`);
  ok(`strict by default: the broken plugin stops the start (exit ${strictExit} after ${Date.now() - strictAt} ms, PLUGIN_SETUP_FAILED)`);

  // --- told otherwise: it starts without the plugin and says so on every surface
  const laxName = `stokcerdas-ci-${id}-lax`;
  const laxPort = await freePort();
  run(laxName, laxPort, pluginsBroken, ['-e', 'STOKCERDAS_PLUGINS_STRICT=false']);
  const lax = await until('/readyz 200 (non-strict)', 60_000, async () => {
    const r = await http(laxPort, 'GET', '/readyz');
    return r.status === 200 && r.json();
  });
  if (JSON.stringify(lax.skippedPlugins) !== '["broken"]') fail(`/readyz skippedPlugins: ${JSON.stringify(lax.skippedPlugins)}`);
  const laxStats = (await http(laxPort, 'GET', '/stats', { auth: true })).json();
  if (laxStats.skippedPlugins?.[0]?.plugin !== 'broken' || laxStats.skippedPlugins[0].code !== 'STOKCERDAS_PLUGIN_SETUP_FAILED') {
    fail(`/stats skippedPlugins: ${JSON.stringify(laxStats.skippedPlugins)}`);
  }
  if (!/^stokcerdas_plugins_skipped 1$/m.test((await http(laxPort, 'GET', '/metrics', { auth: true })).text)) fail('metric stokcerdas_plugins_skipped is not 1');
  const laxReady = jsonLines(logsOf(laxName)).find((l) => typeof l.msg === 'string' && l.msg.startsWith('ready:'));
  if (laxReady?.level !== 40 || JSON.stringify(laxReady.skippedPlugins) !== '["broken"]' || !laxReady.msg.includes('1 skipped: broken')) {
    fail(`ready line (non-strict): ${JSON.stringify(laxReady)}`);
  }
  docker('stop', '-t', '45', laxName);
  ok(`STOKCERDAS_PLUGINS_STRICT=false: ready without "broken", shown in /readyz, /stats, stokcerdas_plugins_skipped 1 and the ready line (warn: "${laxReady.msg}")`);

  console.log(`docker check: ${passed} passed, 0 failed`);
} catch (err) {
  process.exitCode = 1;
  if (!String(err?.message).length) console.error(err);
  for (const name of containers) console.error(`--- last log lines of ${name}:\n${logsOf(name).split('\n').slice(-15).join('\n')}`);
} finally {
  for (const name of containers) spawnSync('docker', ['rm', '-f', '-v', name], { stdio: 'ignore' });
  spawnSync('docker', ['volume', 'rm', '-f', volume], { stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
  // the queues and exchanges the hosts declared under their prefix
  spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('./test/support/broker.ts').then(async (b) => b.deleteByPrefix(await b.getBrokerUrl(), '${prefix}'))`], {
    cwd: ROOT,
    stdio: 'ignore',
    timeout: 60_000,
  });
}
