/**
 * The `stokcerdas` command. Every command takes `--config PATH` and the config flags;
 * problems are printed as their coded message (secrets masked) and exit non-zero.
 */
import { resolve } from 'node:path';
import { loadConfig, parseCliArgs, redactString, type ParsedCli } from '../config/index.ts';
import type { ResolvedConfig } from '../config/schema.ts';
import { importConfigModule, RUNS_COMPILED } from './compiled/index.ts';
import { StokcerdasError } from './errors.ts';
import { DLQ_OPTIONS, runDlqCommand } from './dlq/index.ts';
import { createHost } from './host/host.ts';
import { preflight } from './host/preflight.ts';
import { createLogger } from './observability/logger.ts';
import { loadPlugins, resolveBindings, scaffoldPlugin } from './plugins/index.ts';
import { prefixed } from './topology/names.ts';
import { selectTransportKind } from './transport/index.ts';

const USAGE = `usage: stokcerdas <command> [--config PATH] [options]

commands:
  start                         start the host (memory transport unless a broker is configured)
  start --demo                  the same, fed the live demo's traffic day after day (npm start): watch it at /ui
  check                         validate the config and every plugin; exit 1 on any problem
  plugins                       list plugins, handlers and their bindings
  new-plugin <name>             scaffold plugins/<name> with a passing fake-bus test
  publish <type> <json|@file>   publish one event and wait for the broker's confirm
  demo                          the bundled plugins on a generated day of shop traffic (memory, virtual time)
  demo --live [--minutes N]     the same traffic in real time through a started host: watch it at /ui
  dlq list                      dead-letter queues with their message counts
  dlq show <queue> [--limit N]  dead letters with their reasons (left in the queue)
  dlq replay <queue> [--filter reason=R|type=PATTERN] [--limit N]
                                back to the original exchange, attempts reset
  dlq purge <queue> --yes       delete every dead letter of a queue

options: --config PATH, --prefix, --broker-url, --transport memory|amqp, --http-port, --http-host,
         --log-level, --plugins-dir, --strict, --tenant ID`;

async function main(argv: string[]): Promise<number> {
  const cli = parseCliArgs(argv, { tenant: { type: 'string' }, live: { type: 'boolean' }, demo: { type: 'boolean' }, minutes: { type: 'string' }, ...DLQ_OPTIONS });
  if (cli.help || !cli.command) {
    console.log(USAGE);
    return cli.command || cli.help ? 0 : 1;
  }
  // compiled: the config file's compiled twin, or tsx for it without this package's tsconfig paths
  const importModule = RUNS_COMPILED ? importConfigModule : undefined;
  const { config, filepath } = await loadConfig({ configPath: cli.configPath, flags: cli.flags, importModule });
  switch (cli.command) {
    case 'start':
      return cli.values.demo === true ? liveDemo(config, cli, true) : start(config);
    case 'check':
      return check(config, filepath);
    case 'plugins':
      return listPlugins(config);
    case 'new-plugin':
      return newPlugin(config, cli);
    case 'publish':
      return publish(config, cli);
    case 'demo': {
      if (cli.values.live === true) return liveDemo(config, cli);
      const { runDemo } = await import('./demo/demo.ts');
      await runDemo({ pluginsDir: config.plugins.dir, progress: process.stderr });
      return 0;
    }
    case 'dlq':
      return runDlqCommand(config, cli);
    default:
      console.error(`unknown command "${cli.command}"\n\n${USAGE}`);
      return 1;
  }
}

async function liveDemo(config: ResolvedConfig, cli: ParsedCli, repeat = false): Promise<number> {
  const minutes = cli.values.minutes === undefined ? 3 : Number(cli.values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
    console.error(`demo --minutes: a number of minutes from 0 to 1440 (got ${String(cli.values.minutes)})`);
    return 1;
  }
  const { runLiveDemo } = await import('./demo/live.ts');
  const until = new Promise((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  // as in start: the memory transport holds no socket, and the host must outlive its traffic
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    await runLiveDemo({ config, minutes, progress: process.stderr, until, repeat });
  } finally {
    clearInterval(keepAlive);
  }
  return 0;
}

async function start(config: ResolvedConfig): Promise<number> {
  const logger = createLogger({ level: config.log.level });
  const host = createHost(config, { logger });
  // handlers go in before start(): a SIGTERM that arrives while starting still drains and exits 0
  const stopped = new Promise<number>((done) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: draining in-flight deliveries');
      started.catch(() => undefined).then(() => host.stop()).then(
        () => done(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          done(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  // the memory transport holds no socket: without this the process would exit right after "ready"
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const started = host.start();
  await started;
  return stopped.finally(() => clearInterval(keepAlive));
}

async function check(config: ResolvedConfig, filepath: string | undefined): Promise<number> {
  // the same preflight host.start() runs, worker-thread imports included
  const { plugins, bindings, problems } = await preflight(config, process.cwd());
  console.log(`config: ${filepath ?? '(defaults, no config file)'}`);
  console.log(`transport: ${selectTransportKind(config)}`);
  console.log(`plugins: ${plugins.length} loaded, bindings: ${bindings.length}`);
  for (const p of problems) console.error(`✗ [${p.error.code}] ${p.error.message}`);
  if (problems.length > 0) {
    console.error(`${problems.length} problem${problems.length > 1 ? 's' : ''} found`);
    return 1;
  }
  console.log('ok: no problems found');
  return 0;
}

async function listPlugins(config: ResolvedConfig): Promise<number> {
  const { plugins, problems } = await loadPlugins({ ...config.plugins });
  const { bindings } = resolveBindings(plugins, config, { ignorePlugins: problems.map((p) => p.plugin) });
  const rows = bindings.map((b) => ({
    plugin: `${b.plugin}@${plugins.find((p) => p.name === b.plugin)?.version ?? '?'}`,
    handler: b.handler,
    queue: prefixed(config.broker.prefix, b.queue),
    exchange: prefixed(config.broker.prefix, b.exchange),
    routingKeys: b.routingKeys.join(', '),
    mode: b.mode + (b.batch ? ` batch(${b.batch.size}/${b.batch.flushMs}ms)` : ''),
    retry: `${b.retry.maxAttempts}× from ${b.retry.delayMs}ms`,
    enabled: b.enabled ? 'yes' : 'no',
  }));
  console.table(rows);
  for (const p of problems) console.error(`✗ ${p.plugin}: [${p.error.code}] ${p.error.message}`);
  return problems.length > 0 ? 1 : 0;
}

async function newPlugin(config: ResolvedConfig, cli: ParsedCli): Promise<number> {
  const name = cli.positionals[0];
  if (!name) {
    console.error('usage: stokcerdas new-plugin <name>   (kebab-case, e.g. low-stock-alert)');
    return 1;
  }
  const files = await scaffoldPlugin({ dir: resolve(config.plugins.dir), name });
  for (const f of files) console.log(`created ${f}`);
  console.log(`run its test: npx vitest run ${config.plugins.dir}/${name}`);
  return 0;
}

async function publish(config: ResolvedConfig, cli: ParsedCli): Promise<number> {
  const [type, payload] = cli.positionals;
  if (!type || !payload) {
    console.error('usage: stokcerdas publish <type> <json|@file>');
    return 1;
  }
  const { readFile } = await import('node:fs/promises');
  const text = payload.startsWith('@') ? await readFile(payload.slice(1), 'utf8') : payload;
  const data = JSON.parse(text) as unknown;
  // a publisher only: no plugins are loaded and nothing is consumed
  const host = createHost({ ...config, http: { ...config.http, enabled: false } }, { plugins: [], logger: createLogger({ level: 'warn' }) });
  await host.start();
  try {
    const tenantId = typeof cli.values.tenant === 'string' ? cli.values.tenant : undefined;
    const event = await host.publish(type, data, { tenantId });
    console.log(JSON.stringify({ published: event.id, type: event.type, confirmed: true }));
  } finally {
    await host.stop();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof StokcerdasError ? `[${err.code}] ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(redactString(message));
    process.exit(1);
  },
);
