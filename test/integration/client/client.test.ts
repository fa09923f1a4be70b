/**
 * stokcerdas/client on the real RabbitMQ: what it publishes is the host's CloudEvent (validated,
 * upcast, enriched, on the domain exchange), a host consumes it, local listeners fire after the
 * confirm, and it starts without the host's plugins, HTTP server or worker pool.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, ErrorCodes, type StokEvent } from 'stokcerdas';
import { createClient, StokcerdasClient } from 'stokcerdas/client';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

const prefix = uniquePrefix('client');
let url: string;
let conn: ChannelModel;
const wire: { routingKey: string; body: Record<string, any>; priority?: number; appId?: string }[] = [];

const changed = {
  productData: { id: 'SKU-9', name: 'Beras 5 kg' },
  locationData: { id: 'TOKO-1', province: 'ID-PA' },
  stockMovement: { type: 'sale' as const, quantity: -2 },
  stockLevel: { previous: 12, current: 10 },
};

beforeAll(async () => {
  url = await getBrokerUrl();
  conn = await amqp.connect(url);
});

afterAll(async () => {
  await conn?.close().catch(() => {});
  if (url) await deleteByPrefix(url, prefix);
});

async function tap(key: string): Promise<void> {
  const ch = await conn.createChannel();
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, `${prefix}.inventory.events`, key);
  await ch.consume(queue, (m) => {
    if (!m) return;
    wire.push({ routingKey: m.fields.routingKey, body: JSON.parse(m.content.toString()), priority: m.properties.priority, appId: m.properties.appId });
    ch.ack(m);
  });
}

describe('stokcerdas/client', () => {
  it('publishes the host\'s CloudEvent: validated, enriched, confirmed; local listeners after the confirm', async () => {
    const client = await createClient({ broker: { url, prefix } }, { logger: silentLogger });
    try {
      await tap('inventory.stock.#');
      const local: StokEvent[] = [];
      const off = client.subscribe('inventory.#', (e) => {
        local.push(e);
      });
      const event = await client.publish('inventory.stock.level.changed', changed, { tenantId: 't-1', priority: 7 });
      expect(event).toMatchObject({ type: 'inventory.stock.level.changed', tenantid: 't-1', indozone: 'WIT', dataschema: 'urn:stokcerdas:event:inventory.stock.level.changed:v2' });
      expect(local.map((e) => e.id)).toEqual([event.id]);
      expect(local[0]!.context).toMatchObject({ timezone: 'Asia/Jayapura', geographicContext: { timeZone: 'WIT', province: 'ID-PA' } });
      await waitFor(() => wire.length === 1, 10_000, 'the event on the exchange');
      expect(wire[0]).toMatchObject({ routingKey: 'inventory.stock.level.changed', priority: 7, appId: 'stokcerdas-client', body: { id: event.id, data: changed, indotimezone: 'Asia/Jayapura' } });

      // the flat payload of version 1 (an older producer's, untyped: the types name only the newest) is upcast before it travels
      const flat: unknown = { productId: 'SKU-9', locationId: 'TOKO-1', previousLevel: 10, newLevel: 9, quantityChanged: -1, movementType: 'sale' };
      const upcast = await client.publish('inventory.stock.level.changed', flat as typeof changed);
      expect(upcast.data).toMatchObject({ productData: { id: 'SKU-9' }, stockLevel: { previous: 10, current: 9 }, stockMovement: { type: 'sale', quantity: -1 } });

      off();
      await expect(client.publish('inventory.stock.level.changed', { productData: { id: 'x' } } as never)).rejects.toMatchObject({ code: ErrorCodes.EVENT_INVALID });
      const batch = client.publishBatch([
        { type: 'inventory.stock.low', data: { productData: { id: 'A' }, locationData: { id: 'L' }, stockLevel: { current: 1 } } },
        { type: 'inventory.stock.low', data: { productData: { id: 'B' } } as never },
      ]);
      await expect(batch).rejects.toMatchObject({ code: ErrorCodes.EVENT_INVALID, details: { invalid: [expect.objectContaining({ index: 1 })] } });
      // nothing of the refused batch was sent
      await new Promise((r) => setTimeout(r, 300));
      expect(wire.map((w) => w.body.data.productData?.id)).toEqual(['SKU-9', 'SKU-9']);
      expect(client.stats()).toMatchObject({ state: 'ready', transport: 'amqp', published: { 'inventory.stock.level.changed': 2 }, failed: 3, connection: { connected: true } });
      // the upcast one came before off(); nothing after it
      expect(local.map((e) => e.id)).toEqual([event.id, upcast.id]);
    } finally {
      await client.close();
    }
    expect(client.state).toBe('closed');
    await expect(client.publish('inventory.stock.out', { productData: { id: 'A' }, locationData: { id: 'L' }, stockLevel: { current: 0 } })).rejects.toMatchObject({ code: ErrorCodes.HOST_STATE });
    await client.close();
  });

  it('a host consumes what the client publishes in one batch, with the context the client set', async () => {
    const seen: StokEvent[] = [];
    const host = createHost(
      { broker: { url, prefix }, http: { enabled: false }, plugins: { strict: true } },
      {
        logger: silentLogger,
        plugins: [
          definePlugin({
            name: 'client-reader',
            version: '1.0.0',
            handlers: {
              read: {
                subscribe: { exchange: 'orders.events', routingKeys: ['orders.order.*'] },
                handle: (event) => {
                  seen.push(event);
                },
              },
            },
          }),
        ],
      },
    );
    await host.start();
    const client = new StokcerdasClient({ broker: { url, prefix } }, { logger: silentLogger });
    await expect(client.publish('orders.order.created', { orderData: { id: 'O-0' } })).rejects.toMatchObject({ code: ErrorCodes.HOST_STATE });
    await client.start();
    try {
      const sent = await client.publishBatch([
        { type: 'orders.order.created', data: { orderData: { id: 'O-1', totalAmount: 150_000 } }, options: { tenantId: 'toko-7', correlationId: 'c-1' } },
        { type: 'orders.order.paid', data: { orderData: { id: 'O-1' }, paymentData: { amount: 150_000, method: 'qris' } }, options: { tenantId: 'toko-7', correlationId: 'c-1' } },
      ]);
      await waitFor(() => seen.length === 2, 10_000, 'both events handled');
      expect(seen.map((e) => [e.id, e.type, e.tenantid, e.correlationid])).toEqual(sent.map((e) => [e.id, e.type, 'toko-7', 'c-1']));
      expect(seen[1]!.context).toMatchObject({ timezone: 'Asia/Jakarta' });
    } finally {
      await client.close();
      await host.stop();
    }
  });

  it('loads no plugin loader, host, HTTP server, worker pool or NestJS (static imports from runtime/client)', () => {
    const root = resolve(import.meta.dirname, '../../..');
    const seen = new Set<string>();
    const bare = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // static imports and re-exports only: `await import(...)` is what stays unloaded until used
      for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
        const spec = m[1]!;
        if (/^import\s+type\s|^export\s+type\s/.test(m[0])) continue;
        if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
        else bare.add(spec);
      }
      for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) bare.add(m[1]!);
    };
    walk(resolve(root, 'runtime/client/index.ts'));
    const files = [...seen].map((f) => f.slice(root.length + 1));
    expect(files.filter((f) => /^runtime\/(host|http|workers|plugins|nestjs|dlq|demo)\//.test(f))).toEqual([]);
    expect([...bare].filter((b) => /^(piscina|@nestjs|reflect-metadata|rxjs|cosmiconfig|better-sqlite3|pg|ioredis)/.test(b))).toEqual([]);
    expect(files).toContain('runtime/publishing/publisher.ts');
  });
});
