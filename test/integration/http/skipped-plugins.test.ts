import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, type Host, type PluginDefinition } from 'stokcerdas';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';
import { request } from '../../support/http.ts';
import { captureLogs } from '../../support/logs.ts';

/**
 * A plugin the host started without (non-strict) shows on every surface an operator looks at:
 * /readyz (names), /stats (code and message), stokcerdas_plugins_skipped, and the ready line
 * (warn level, names in the message). On the real RabbitMQ, through real HTTP.
 */
const prefix = uniquePrefix('skipped');
let url: string;
const hosts: Host[] = [];
const handled: string[] = [];

const good = definePlugin({
  name: 'good',
  version: '1.0.0',
  handlers: { orders: { subscribe: { routingKeys: ['orders.#'] }, handle: (event) => void handled.push(event.id) } },
});
const broken = definePlugin({
  name: 'needs-db',
  version: '1.0.0',
  setup() {
    throw new Error('ECONNREFUSED 127.0.0.1:1');
  },
  handlers: { orders: { subscribe: { routingKeys: ['orders.#'] }, handle: () => {} } },
});

async function start(plugins: PluginDefinition[], hostPrefix: string) {
  const logs = captureLogs();
  const host = createHost({ broker: { url, prefix: hostPrefix }, http: { port: 0 } }, { plugins, logger: logs.logger });
  hosts.push(host);
  await host.start();
  return { host, port: host.httpAddress()!.port, lines: logs.lines };
}

beforeAll(async () => {
  url = await getBrokerUrl();
});

afterEach(async () => {
  while (hosts.length > 0) await hosts.pop()!.stop();
});

afterAll(async () => {
  await deleteByPrefix(url, prefix);
});

describe('skipped plugins on the operator surfaces (RabbitMQ)', () => {
  it('a plugin whose setup() fails is named in /readyz, /stats, the metric and the ready line; the others run', async () => {
    const { host, port, lines } = await start([good, broken], `${prefix}-a`);

    const readyz = await request(port, 'GET', '/readyz');
    // non-strict is the operator's choice: the plugins that did start keep getting traffic
    expect(readyz.status).toBe(200);
    expect(readyz.json()).toMatchObject({ ready: true, status: 'ready', skippedPlugins: ['needs-db'] });

    const stats = (await request(port, 'GET', '/stats')).json<{ skippedPlugins: unknown[] }>();
    expect(stats.skippedPlugins).toEqual([
      { plugin: 'needs-db', code: 'STOKCERDAS_PLUGIN_SETUP_FAILED', message: expect.stringContaining('ECONNREFUSED 127.0.0.1:1'), problems: 1 },
    ]);
    expect(host.stats().skippedPlugins.map((p) => p.plugin)).toEqual(['needs-db']);

    expect((await request(port, 'GET', '/metrics')).text).toMatch(/^stokcerdas_plugins_skipped 1$/m);

    const ready = lines.find((l) => String(l.msg).startsWith('ready:'));
    expect(ready).toMatchObject({ level: 40, plugins: 1, skipped: 1, skippedPlugins: ['needs-db'] });
    expect(ready!.msg).toBe('ready: 1 plugins, 1 bindings on the amqp transport; 1 skipped: needs-db');

    const event = await host.publish('orders.order.created', { orderId: 'O-skip' });
    await waitFor(() => handled.includes(event.id), 10_000, 'the good plugin handled the event');
  });

  it('with every plugin started, the surfaces say none: [] in /readyz and /stats, 0 in the metric, an info ready line', async () => {
    const { port, lines } = await start([good], `${prefix}-b`);
    expect((await request(port, 'GET', '/readyz')).json()).toMatchObject({ ready: true, skippedPlugins: [] });
    expect((await request(port, 'GET', '/stats')).json()).toMatchObject({ skippedPlugins: [] });
    expect((await request(port, 'GET', '/metrics')).text).toMatch(/^stokcerdas_plugins_skipped 0$/m);
    const ready = lines.find((l) => String(l.msg).startsWith('ready:'));
    expect(ready).toMatchObject({ level: 30, skipped: 0, skippedPlugins: [] });
    expect(ready!.msg).toBe('ready: 1 plugins, 1 bindings on the amqp transport');
  });

  it('a plugins folder: each broken plugin once, in the order found, with its code, file and every message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stokcerdas-skipped-'));
    try {
      const add = async (folder: string, source: string) => {
        await mkdir(join(dir, folder));
        await writeFile(join(dir, folder, 'index.mjs'), source);
      };
      await add('a-syntax', 'export default { this is not javascript');
      // two handlers, both broken: one entry whose message names both
      await add('b-two-bad', 'export default { name: "b-two-bad", version: "1.0.0", handlers: { x: { subscribe: { routingKeys: ["orders.#"] }, handle: 1 }, y: { subscribe: { routingKeys: ["orders.#"] }, handle: 2 } } };');
      const logs = captureLogs();
      const host = createHost({ broker: { url, prefix: `${prefix}-c` }, plugins: { dir }, http: { port: 0 } }, { logger: logs.logger });
      hosts.push(host);
      await host.start();
      const skipped = host.stats().skippedPlugins;
      expect(skipped.map((p) => [p.plugin, p.code])).toEqual([
        ['a-syntax', 'STOKCERDAS_PLUGIN_LOAD_FAILED'],
        ['b-two-bad', 'STOKCERDAS_PLUGIN_INVALID'],
      ]);
      expect(skipped[1]!.message).toMatch(/handlers\.x\.handle: must be a function[\s\S]*handlers\.y\.handle: must be a function/);
      expect(skipped[0]!.file).toContain('a-syntax');
      expect((await request(host.httpAddress()!.port, 'GET', '/readyz')).json()).toMatchObject({ skippedPlugins: ['a-syntax', 'b-two-bad'] });
      expect((await request(host.httpAddress()!.port, 'GET', '/metrics')).text).toMatch(/^stokcerdas_plugins_skipped 2$/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
