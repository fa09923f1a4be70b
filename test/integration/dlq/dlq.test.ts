import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from 'stokcerdas';
import { peekDeadLetters, replayDeadLetters, purgeDeadLetters, parseDeadLetterFilter } from '../../../runtime/dlq/index.ts';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import type { Transport } from '../../../runtime/transport/contract.ts';
import { createAmqpTransport, type AmqpTransport } from '../../../runtime/transport/amqp/index.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';
import { state } from '../../fixtures/dlq-plugins/recorder/index.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const PLUGINS = join(ROOT, 'test/fixtures/dlq-plugins');
const prefix = uniquePrefix('dlq');
const dlq = `${prefix}.recorder.stock.dlq`;
const stock = (n: number) => ({
  productData: { id: `SKU-${n}` },
  locationData: { id: 'WH-1' },
  stockMovement: { type: 'sale' as const, quantity: -7 },
  stockLevel: { previous: 10, current: 3 },
});

let url: string;
let host: Host;
let tools: AmqpTransport;

beforeAll(async () => {
  url = await getBrokerUrl();
  host = createHost({ broker: { url, prefix }, http: { enabled: false }, plugins: { dir: PLUGINS, strict: true } }, { logger: silentLogger });
  await host.start();
  // the operator's side: its own connection, as `stokcerdas dlq` has
  tools = createAmqpTransport({ url, connectionName: `${prefix}-tools`, reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 }, publishBufferSize: 100 });
  await tools.connect();
});

afterAll(async () => {
  await host?.stop();
  await tools?.close();
  await deleteByPrefix(url, prefix);
});

const dlqDepth = async () => (await tools.queueInfo(dlq)).messages;
/** basic.reject(requeue) has no reply: the broker puts peeked or skipped messages back a moment later */
const depthSettlesAt = (n: number) => waitFor(async () => (await dlqDepth()) === n, 10_000, `DLQ depth ${n}`);

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const env = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith('RABBITMQ_') || key.startsWith('STOKCERDAS_')) delete env[key];
    const child = spawn(process.execPath, [join(ROOT, 'bin/stokcerdas.mjs'), ...args, '--broker-url', url, '--prefix', prefix, '--plugins-dir', PLUGINS], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => done({ code, out }));
  });
}

describe('dead-letter tools on the real broker', () => {
  it('round-trips: handler fails → DLQ → show (kept) → interrupted replay → replay → handled once each', async () => {
    state().failing = true;
    const published = [];
    for (let i = 0; i < 5; i++) published.push(await host.publish('inventory.stock.level.changed', stock(i), { tenantId: 'toko-1' }));
    await waitFor(async () => (await dlqDepth()) === 5, 20_000, 'five dead letters');

    const shown = await peekDeadLetters(tools, dlq, 3);
    expect(shown).toHaveLength(3);
    expect(shown[0]).toMatchObject({ type: 'inventory.stock.level.changed', reason: 'retries-exhausted', attempts: 2, handler: 'recorder/stock', tenant: 'toko-1' });
    expect(shown[0]!.originalExchange).toBe(`${prefix}.inventory.events`);
    await depthSettlesAt(5);

    // the CLI sees the same, and leaves it all in place
    const list = await cli(['dlq', 'list']);
    expect(list.code, list.out).toBe(0);
    expect(list.out).toMatch(new RegExp(`${dlq.replace(/\./g, '\\.')}\\s+5`));
    expect(list.out).toContain(`${prefix}.ml.forecasting.dlq`);
    const show = await cli(['dlq', 'show', 'recorder.stock', '--limit', '2']);
    expect(show.code, show.out).toBe(0);
    expect(show.out).toContain('retries-exhausted');
    expect(show.out).toContain('showing 2');
    await depthSettlesAt(5);

    state().failing = false;
    const none = await replayDeadLetters(tools, dlq, { filter: parseDeadLetterFilter('type=orders.#') });
    expect(none).toEqual({ replayed: 0, skipped: 5, unroutable: 0 });
    await depthSettlesAt(5);

    // the broker goes away after two confirms: those two are gone from the DLQ, the rest are still there
    let publishes = 0;
    const failing: Transport = new Proxy(tools, {
      get(target, prop) {
        if (prop === 'publish') {
          return (m: Parameters<Transport['publish']>[0]) => (++publishes === 3 ? Promise.reject(new Error('connection lost')) : target.publish(m));
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    await expect(replayDeadLetters(failing, dlq)).rejects.toThrow('connection lost');
    await waitFor(() => state().handled.length === 2, 10_000, 'two replayed and handled');
    await depthSettlesAt(3);

    const replay = await cli(['dlq', 'replay', 'recorder.stock', '--filter', 'retries-exhausted']);
    expect(replay.code, replay.out).toBe(0);
    expect(replay.out).toContain('replayed 3');
    // not a terminal: the progress comes as plain lines
    expect(replay.out).toContain(`replay ${dlq}: 3/3 (100%)`);
    await waitFor(() => state().handled.length === 5, 10_000, 'all five handled');
    expect(new Set(state().handled.map((h) => h.id))).toEqual(new Set(published.map((e) => e.id)));
    // attempts reset: each ran as a first attempt again
    expect(state().handled.every((h) => h.attempt === 1)).toBe(true);
    expect(await dlqDepth()).toBe(0);
    // five CLI processes: each starts tsx and connects, seconds apiece on a busy machine
  }, 90_000);

  it('purge needs --yes and empties the queue', async () => {
    state().failing = true;
    await host.publish('inventory.stock.level.changed', stock(9));
    await waitFor(async () => (await dlqDepth()) === 1, 20_000, 'one dead letter');
    const refused = await cli(['dlq', 'purge', 'recorder.stock']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('--yes');
    await depthSettlesAt(1);
    const filtered = await cli(['dlq', 'purge', 'recorder.stock', '--yes', '--filter', 'type=orders.#']);
    expect(filtered.out).toContain('purged 0 messages matching the filter');
    await depthSettlesAt(1);
    const purged = await cli(['dlq', 'purge', 'recorder.stock', '--yes']);
    expect(purged.code, purged.out).toBe(0);
    expect(purged.out).toContain('purged 1');
    expect(purged.out).toContain(`purge ${dlq}: deleted 1`);
    expect(await dlqDepth()).toBe(0);
    expect(await purgeDeadLetters(tools, dlq)).toBe(0);
  }, 90_000);
});
