import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, systemClock, type Clock, type Host } from 'stokcerdas';
import notifications from '../../../plugins/notifications/index.ts';
import { verify } from 'stokcerdas/webhooks';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

/** The notifications plugin on the real RabbitMQ: channel routing, the signed webhook, broker-held deferral. */
let url: string;
let conn: ChannelModel;
let server: Server;
const hooks: { body: Record<string, unknown>; valid: boolean }[] = [];
const secret = 'integration-secret-0123';
const prefixes: string[] = [];

beforeAll(async () => {
  url = await getBrokerUrl();
  conn = await amqp.connect(url);
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    const headers = { signature: req.headers['x-stokcerdas-signature'] as string, timestamp: req.headers['x-stokcerdas-timestamp'] as string };
    hooks.push({ body: JSON.parse(raw), valid: verify(secret, headers, raw, Math.floor(Date.now() / 1000)) });
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await conn?.close().catch(() => {});
  for (const p of prefixes) await deleteByPrefix(url, p);
});

/** A clock whose wall time starts at `at` and runs at real speed: business hours without waiting for 09:00. */
function clockStartingAt(at: string): Clock {
  const offset = Date.parse(at) - Date.now();
  return { now: () => Date.now() + offset, setTimeout: systemClock.setTimeout };
}

function hostFor(prefix: string, clock: Clock, options: Record<string, unknown>): Host {
  return createHost(
    { broker: { url, prefix }, http: { enabled: false }, plugins: { options: { notifications: options } } },
    { plugins: [notifications], logger: silentLogger, clock },
  );
}

/** A delivery service's queue on `<prefix>.notifications.direct` for one channel. */
async function tap(prefix: string, channel: string): Promise<Record<string, unknown>[]> {
  const ch = await conn.createChannel();
  const queue = `${prefix}.tap.${channel}`;
  await ch.assertQueue(queue, { durable: false });
  await ch.bindQueue(queue, `${prefix}.notifications.direct`, channel);
  const got: Record<string, unknown>[] = [];
  await ch.consume(queue, (m) => {
    if (!m) return;
    got.push({ routingKey: m.fields.routingKey, priority: m.properties.priority, ...JSON.parse(m.content.toString()).data });
    ch.ack(m);
  });
  return got;
}

const low = { productData: { id: 'SKU-1', name: 'Minyak Goreng 2 L' }, locationData: { id: 'GUDANG-1' }, stockLevel: { current: 3, reorderPoint: 12 } };

describe('notifications on RabbitMQ', () => {
  it('routes each message by channel on notifications.direct and posts the signed webhook', async () => {
    const prefix = uniquePrefix('notif-route');
    prefixes.push(prefix);
    const host = hostFor(prefix, systemClock, { channels: ['sms', 'webhook'], webhook: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/n`, secret } });
    await host.start();
    try {
      const sms = await tap(prefix, 'sms');
      const event = await host.publish('inventory.stock.out', { ...low, stockLevel: { current: 0, reorderPoint: 12 } }, { tenantId: 'toko-1' });
      await waitFor(() => sms.length === 1 && hooks.some((h) => (h.body.source as { eventId: string }).eventId === event.id), 10_000, 'sms and webhook');
      expect(sms[0]).toMatchObject({ routingKey: 'sms', priority: 9, channel: 'sms', urgent: true, title: 'Stok habis: Minyak Goreng 2 L', tenantId: 'toko-1' });
      const hook = hooks.find((h) => (h.body.source as { eventId: string }).eventId === event.id)!;
      expect(hook).toMatchObject({ valid: true, body: expect.objectContaining({ channel: 'webhook', notificationId: sms[0]!.notificationId }) });
    } finally {
      await host.stop();
    }
  });

  it('holds a message outside business hours in a broker TTL queue, and a new host sends it at opening', async () => {
    const prefix = uniquePrefix('notif-defer');
    prefixes.push(prefix);
    // Monday 08:59:57 WIB: three seconds before opening
    const clock = clockStartingAt('2026-01-05T01:59:57Z');
    const options = { channels: ['email'], deferral: { tiersMs: [1000, 60_000] } };
    const first = hostFor(prefix, clock, options);
    await first.start();
    const email = await tap(prefix, 'email');
    await first.publish('inventory.stock.low', low);
    await waitFor(async () => (await first.transport.queueInfo(`${prefix}.notifications.deferred.1000ms`)).messages === 1, 5_000, 'the first hop in its tier queue');
    // the host that deferred it goes away: nothing in it was waiting
    await first.stop();
    expect(email).toEqual([]);

    const second = hostFor(prefix, clock, options);
    await second.start();
    try {
      await waitFor(() => email.length === 1, 10_000, 'the held message');
      expect(clock.now()).toBeGreaterThanOrEqual(Date.parse('2026-01-05T02:00:00Z'));
      expect(email[0]).toMatchObject({ routingKey: 'email', kind: 'stock-low', deferredUntil: '2026-01-05T09:00:00.000+07:00', priority: 5 });
    } finally {
      await second.stop();
    }
  });
});
