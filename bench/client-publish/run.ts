/**
 * The publishing client against the host's `publish`, in one run on the same broker: publish
 * rate (validate → CloudEvent → Indonesian context → confirmed by RabbitMQ) in interleaved
 * rounds, with raw amqplib sending one prebuilt body on a confirm channel as context, start time (connect and declare), and the cold import of each entry point in fresh
 * processes. Medians and client/host ratios; one JSON line.
 *
 *   node --import tsx bench/client-publish/run.ts            (ROUNDS=6 EVENTS=20000 by default)
 *
 * Both publish the same seed-shaped event to `<prefix>.inventory.events`, where one queue (capped
 * with x-max-length, so it never grows) is bound: the broker routes and enqueues every message.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { createHost, type Host } from 'stokcerdas';
import { createClient, type StokcerdasClient } from 'stokcerdas/client';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix } from '../../test/support/broker.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const EVENTS = Number(process.env.EVENTS ?? 20_000);
const WINDOW = 1_000;
const IMPORTS = Number(process.env.IMPORTS ?? 3);

const event = (i: number) => ({
  productData: { id: `SKU-${i % 500}`, name: 'Beras 5 kg', category: 'sembako' },
  locationData: { id: 'GUDANG-1', province: 'ID-JT' },
  stockMovement: { type: 'sale' as const, quantity: -1 },
  stockLevel: { previous: 20, current: 19 },
});

type Publish = (i: number) => Promise<unknown>;

/** node CPU (user + system, all threads) per message of the last `rate` call, µs */
let lastCpuUs = 0;

async function rate(publish: Publish): Promise<number> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < EVENTS; i += WINDOW) {
    const window: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(EVENTS, i + WINDOW); j++) window.push(publish(j));
    await Promise.all(window);
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  lastCpuUs = (used.user + used.system) / EVENTS;
  return EVENTS / seconds;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** milliseconds to import an entry point in a fresh node process (tsx loader started, warm disk cache) */
function importMs(entry: 'client' | 'host'): Promise<number> {
  const script = fileURLToPath(new URL('./import-time.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, entry], { cwd: root }, (err, stdout) => {
      if (err) reject(err);
      else resolve(Number(stdout.trim()));
    });
  });
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const url = await getBrokerUrl();
const prefix = uniquePrefix('bench-client');
const config = { broker: { url, prefix }, http: { enabled: false }, log: { level: 'silent' as const } };

// the alternative a service had: a whole host, here with the bundled plugins (discovered from plugins/)
const bundled = {
  ...config,
  http: { enabled: true, port: 0 },
  plugins: { dir: 'plugins', options: { 'ml-forecasting': { store: { kind: 'memory' as const } } } },
};

// start: connect and declare, interleaved, each closed again
const startMs = { client: [] as number[], host: [] as number[], hostWithPlugins: [] as number[] };
const order = ['client', 'host', 'hostWithPlugins'] as const;
for (let r = 0; r < ROUNDS; r++) {
  for (const side of r % 2 ? [...order].reverse() : order) {
    const t = performance.now();
    if (side === 'client') {
      const c = await createClient(config, { logger: silentLogger });
      startMs.client.push(performance.now() - t);
      await c.close();
    } else {
      const h = side === 'host' ? createHost(config, { logger: silentLogger, plugins: [] }) : createHost(bundled, { logger: silentLogger, cwd: root });
      await h.start();
      startMs[side].push(performance.now() - t);
      await h.stop();
    }
  }
}

const connection = await amqp.connect(url);
const channel = await connection.createChannel();
const sink = `${prefix}.bench.sink`;
await channel.assertQueue(sink, { durable: false, arguments: { 'x-max-length': 1_000 } });
await channel.bindQueue(sink, `${prefix}.inventory.events`, 'inventory.stock.level.changed');

const client: StokcerdasClient = await createClient(config, { logger: silentLogger });
const host: Host = createHost(config, { logger: silentLogger, plugins: [] });
await host.start();
// context for the figures: raw amqplib on a confirm channel sending one prebuilt CloudEvent body
const confirm = await connection.createConfirmChannel();
const body = Buffer.from(JSON.stringify((await client.publish('inventory.stock.level.changed', event(0), { tenantId: 't1' }))));
const rawPublish: Publish = (i) =>
  new Promise<void>((resolve, reject) => {
    confirm.publish(`${prefix}.inventory.events`, 'inventory.stock.level.changed', body, { persistent: true, contentType: 'application/cloudevents+json', messageId: String(i) }, (err) =>
      err ? reject(err) : resolve(),
    );
  });
const sides: Record<'client' | 'host' | 'raw', Publish> = {
  client: (i) => client.publish('inventory.stock.level.changed', event(i), { tenantId: 't1' }),
  host: (i) => host.publish('inventory.stock.level.changed', event(i), { tenantId: 't1' }),
  raw: rawPublish,
};
// warm-up, untimed: JIT and the connections' first windows
await rate(sides.client);
await rate(sides.host);
await rate(sides.raw);
const perSec = { client: [] as number[], host: [] as number[], raw: [] as number[] };
const cpuUs = { client: [] as number[], host: [] as number[], raw: [] as number[] };
const publishOrder = ['client', 'host', 'raw'] as const;
for (let r = 0; r < ROUNDS; r++) {
  for (const side of r % 2 ? [...publishOrder].reverse() : publishOrder) {
    perSec[side].push(await rate(sides[side]));
    cpuUs[side].push(lastCpuUs);
  }
}
await confirm.close();
await client.close();
await host.stop();
await channel.deleteQueue(sink).catch(() => {});
await connection.close();
await deleteByPrefix(url, prefix);

const importTimes = { client: [] as number[], host: [] as number[] };
for (let r = 0; r < IMPORTS; r++) {
  importTimes.client.push(await importMs('client'));
  importTimes.host.push(await importMs('host'));
}

const round = (x: number, d = 0) => Number(x.toFixed(d));
console.log(
  JSON.stringify({
    bench: 'client-publish',
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    rounds: ROUNDS,
    eventsPerRound: EVENTS,
    publishPerSec: {
      client: round(median(perSec.client)),
      host: round(median(perSec.host)),
      ratio: round(median(perSec.client) / median(perSec.host), 3),
      rawAmqplib: round(median(perSec.raw)),
      clientToRaw: round(median(perSec.client) / median(perSec.raw), 3),
    },
    cpuUsPerMessage: {
      client: round(median(cpuUs.client), 1),
      host: round(median(cpuUs.host), 1),
      ratio: round(median(cpuUs.client) / median(cpuUs.host), 3),
      rawAmqplib: round(median(cpuUs.raw), 1),
    },
    startMs: {
      client: round(median(startMs.client)),
      host: round(median(startMs.host)),
      hostWithPlugins: round(median(startMs.hostWithPlugins)),
      ratio: round(median(startMs.client) / median(startMs.host), 3),
      ratioToHostWithPlugins: round(median(startMs.client) / median(startMs.hostWithPlugins), 3),
    },
    importMs: { client: round(median(importTimes.client)), host: round(median(importTimes.host)), ratio: round(median(importTimes.client) / median(importTimes.host), 3) },
    perRound: { publish: { client: perSec.client.map((x) => round(x)), host: perSec.host.map((x) => round(x)), raw: perSec.raw.map((x) => round(x)) }, start: { client: startMs.client.map((x) => round(x)), host: startMs.host.map((x) => round(x)), hostWithPlugins: startMs.hostWithPlugins.map((x) => round(x)) } },
  }),
);
