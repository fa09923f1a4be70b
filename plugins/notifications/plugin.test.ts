import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestBus, type TestBus } from 'stokcerdas/testing';
import { requestedSchema } from './events.ts';
import notifications from './index.ts';
import type { NotificationsOptionsInput } from './options.ts';
import { verify } from 'stokcerdas/webhooks';

let bus: TestBus | undefined;
let server: Server | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

// Monday 2026-01-05: 10:00 WIB is open; 18:00 WIB is after closing
const OPEN = '2026-01-05T03:00:00Z';
const EVENING = '2026-01-05T11:00:00Z';
const HOUR = 3_600_000;

async function start(options: NotificationsOptionsInput = {}, now = OPEN) {
  bus = await createTestBus({ plugins: [notifications], options: { notifications: options }, now });
  return bus;
}

const requested = (b: TestBus) => b.published.filter((e) => e.type === 'notifications.message.requested').map((e) => requestedSchema.parse(e.data));
/** A stock alert in the canonical shape: 4 units left of a reorder point of 10, unless `current` says otherwise. */
const low = (productId = 'SKU-1', locationId = 'GUDANG-1', current = 4) => ({
  productData: { id: productId, name: 'Beras Rojolele 5 kg' },
  locationData: { id: locationId, name: 'Gudang Cikarang' },
  stockLevel: { current, reorderPoint: 10 },
});

/** What a delivery service bound to `routingKey` on notifications.direct would receive. */
async function tap(b: TestBus, routingKey: string) {
  const queue = `probe.${routingKey}`;
  await b.transport.assertTopology({ exchanges: [], queues: [{ name: queue }], routes: [{ exchange: 'stokcerdas.notifications.direct', queue, routingKey }] });
  return async () => {
    const out: Record<string, unknown>[] = [];
    for (let m = await b.transport.get(queue); m; m = await b.transport.get(queue)) {
      out.push(JSON.parse(m.delivery.body.toString()).data);
      await m.settle('ack');
    }
    return out;
  };
}

describe('notifications on the fake bus', () => {
  it('sends a low-stock alert in Bahasa Indonesia to each channel, routed by channel', async () => {
    const b = await start({ channels: ['email', 'whatsapp'] });
    const email = await tap(b, 'email');
    const whatsapp = await tap(b, 'whatsapp');
    await b.publish('inventory.stock.low', low(), { tenantId: 'toko-1' });
    await b.idle();
    const [mail] = await email();
    expect(mail).toMatchObject({
      channel: 'email',
      kind: 'stock-low',
      urgent: false,
      tenantId: 'toko-1',
      title: 'Stok menipis: Beras Rojolele 5 kg',
      body: 'Stok Beras Rojolele 5 kg di Gudang Cikarang tinggal 4 unit, di bawah titik pesan ulang 10 (tercatat Senin, 5 Januari 2026 pukul 10.00 WIB).',
    });
    expect(await whatsapp()).toEqual([expect.objectContaining({ channel: 'whatsapp', notificationId: mail!.notificationId })]);
    expect(b.failed).toEqual([]);
  });

  it('handles legacy flat (version 1) alerts and orders, upcast before the handler', async () => {
    const b = await start({ channels: ['email'] });
    await b.publish('inventory.stock.low', { productId: 'SKU-1', productName: 'Beras Rojolele 5 kg', locationId: 'GUDANG-1', currentLevel: 4, reorderPoint: 10 });
    const shipped = { orderId: 'O-4', shippedAt: '2026-01-05T02:00:00Z', courier: 'SiCepat', trackingNumber: 'SC9' }; // version 1 plus the producer's own fields
    await b.publish('orders.order.shipped', shipped);
    await b.idle();
    expect(requested(b).map((m) => m.body)).toEqual([
      'Stok Beras Rojolele 5 kg di GUDANG-1 tinggal 4 unit, di bawah titik pesan ulang 10 (tercatat Senin, 5 Januari 2026 pukul 10.00 WIB).',
      'Pesanan O-4 dikirim melalui SiCepat Senin, 5 Januari 2026 pukul 09.00 WIB. Nomor resi: SC9.',
    ]);
    expect(requested(b)[0]).toMatchObject({ subject: { productId: 'SKU-1', locationId: 'GUDANG-1' } });
  });

  it('writes a reorder suggestion with the quantity from alertData', async () => {
    const b = await start();
    await b.publish('inventory.alert.reorder.suggested', {
      ...low(),
      productData: { id: 'SKU-1', name: 'Beras Rojolele 5 kg', unit: 'karung' },
      alertData: { severity: 'warning', suggestedQuantity: 40 },
    });
    await b.idle();
    expect(requested(b)[0]).toMatchObject({
      kind: 'reorder-suggested',
      body: 'Disarankan memesan 40 karung Beras Rojolele 5 kg untuk Gudang Cikarang; stok saat ini 4 karung (Senin, 5 Januari 2026 pukul 10.00 WIB).',
    });
  });

  it('dead-letters an sla.breached that lacks what the message needs, without retrying', async () => {
    const b = await start();
    await b.publish('indonesian.business.sla.breached', { orderId: 'O-8', sla: 'payment' });
    await b.idle();
    expect(requested(b)).toEqual([]);
    expect(b.deadLettered).toEqual([expect.objectContaining({ headers: expect.objectContaining({ 'x-death-reason': 'non-retryable' }) })]);
  });

  it('writes order amounts in rupiah, or in English when asked', async () => {
    const b = await start({ recipients: { 'toko-en': { language: 'en' } } });
    await b.publish('orders.order.paid', {
      orderData: { id: 'O-1', orderNumber: 'INV/2026/001', totalAmount: 1_250_000 },
      paymentData: { method: 'qris', amount: 1_250_000, paidAt: '2026-01-05T02:15:00Z' },
    });
    await b.publish('orders.order.paid', { orderData: { id: 'O-2' }, paymentData: { amount: 99_000 } }, { tenantId: 'toko-en' });
    await b.idle();
    expect(requested(b).map((m) => m.body)).toEqual([
      'Pembayaran pesanan INV/2026/001 sebesar Rp1.250.000 diterima Senin, 5 Januari 2026 pukul 09.15 WIB.',
      'Payment of IDR 99,000 for order O-2 received Monday 5 January 2026 at 10:00 WIB.',
    ]);
  });

  it("writes dates in the recipient's zone", async () => {
    const b = await start({ recipients: { 'toko-papua': { timezone: 'ID-PA' } } });
    await b.publish('orders.order.shipped', { orderData: { id: 'O-3' }, fulfillmentData: { status: 'shipped', carrier: 'JNE', trackingNumber: 'JNE123' } }, { tenantId: 'toko-papua' });
    await b.idle();
    expect(requested(b)[0]).toMatchObject({ timezone: 'Asia/Jayapura', body: 'Pesanan O-3 dikirim melalui JNE Senin, 5 Januari 2026 pukul 12.00 WIT. Nomor resi: JNE123.' });
  });

  it('sends an urgent out-of-stock alert at once, even at night, with top priority', async () => {
    const b = await start({ channels: ['sms'] }, EVENING);
    const sms = await tap(b, 'sms');
    await b.publish('inventory.stock.out', low('SKU-1', 'GUDANG-1', 0));
    await b.idle();
    expect(await sms()).toEqual([expect.objectContaining({ kind: 'stock-out', urgent: true, title: 'Stok habis: Beras Rojolele 5 kg' })]);
  });

  it('holds a non-urgent alert in the broker until the next business open', async () => {
    const b = await start({ channels: ['email'] }, EVENING);
    await b.publish('inventory.stock.low', low());
    await b.idle();
    expect(requested(b)).toEqual([]);
    expect(b.published.filter((e) => e.type === 'notifications.message.deferred')).toHaveLength(1);

    await b.advance(14 * HOUR + 59 * 60_000); // Tuesday 08:59 WIB
    expect(requested(b)).toEqual([]);
    await b.advance(60_000);
    expect(requested(b)).toEqual([
      expect.objectContaining({ kind: 'stock-low', deferredUntil: '2026-01-06T09:00:00.000+07:00', body: expect.stringContaining('Senin, 5 Januari 2026 pukul 18.00 WIB') }),
    ]);
    expect(b.resolve<{ stats(): Record<string, number> }>('notifications').stats()).toMatchObject({ deferred: 1, released: 1, sent: 1 });
  });

  it('holds over the weekend with a few broker hops and no host timer', async () => {
    const b = await start({}, '2026-01-09T10:30:00Z'); // Friday 17:30 WIB
    await b.publish('orders.order.cancelled', { orderData: { id: 'O-9' }, reason: 'stok kosong' });
    await b.idle();
    await b.advance(63 * HOUR + 29 * 60_000);
    expect(requested(b)).toEqual([]);
    await b.advance(60_000);
    expect(requested(b)).toEqual([expect.objectContaining({ deferredUntil: '2026-01-12T09:00:00.000+07:00', body: expect.stringContaining('Alasan: stok kosong.') })]);
    expect(b.published.filter((e) => e.type === 'notifications.message.deferred').length).toBeLessThanOrEqual(12);
  });

  it("opens with the recipient's business hours: 08:30 WIB is already 10:30 in Papua", async () => {
    const b = await start({ recipients: { papua: { timezone: 'Asia/Jayapura' } } }, '2026-01-06T01:30:00Z');
    await b.publish('inventory.stock.low', low(), { tenantId: 'papua' });
    await b.publish('inventory.stock.low', low('SKU-2'), { tenantId: 'jakarta' });
    await b.idle();
    expect(requested(b)).toEqual([expect.objectContaining({ tenantId: 'papua' })]);
  });

  it('drops repeated alerts for the same product within the window, not for another location', async () => {
    const b = await start({ dedupe: { windowMs: HOUR } });
    await b.publish('inventory.stock.low', low());
    await b.publish('inventory.stock.low', low('SKU-1', 'GUDANG-1', 3), { time: Date.parse(OPEN) + 10 * 60_000 });
    await b.publish('inventory.stock.low', low('SKU-1', 'GUDANG-2'));
    await b.publish('inventory.stock.out', low('SKU-1', 'GUDANG-1', 0));
    await b.publish('inventory.stock.low', low(), { time: Date.parse(OPEN) + HOUR });
    await b.idle();
    expect(requested(b).map((m) => `${m.kind}@${m.subject.locationId}`)).toEqual([
      'stock-low@GUDANG-1',
      'stock-low@GUDANG-2',
      'stock-out@GUDANG-1',
      'stock-low@GUDANG-1',
    ]);
  });

  it('tells the merchant about a missed SLA, in business days', async () => {
    const b = await start();
    await b.publish('indonesian.business.sla.breached', {
      orderId: 'O-7',
      sla: 'shipping',
      startedAt: '2026-01-01T10:00:00+07:00',
      businessDays: 2,
      deadline: '2026-01-02T17:00:00+07:00',
      timezone: 'Asia/Jakarta',
      holidaysUnknown: false,
      occurredAt: '2026-01-05T09:30:00+07:00',
      lateByMs: 231_000_000,
      lateByBusinessDays: 1,
    });
    await b.idle();
    expect(requested(b)[0]).toMatchObject({
      urgent: true,
      title: 'SLA pengiriman terlewati: pesanan O-7',
      body: 'Batas waktu pengiriman pesanan O-7 adalah Jumat, 2 Januari 2026 pukul 17.00 WIB, tetapi baru terjadi Senin, 5 Januari 2026 pukul 09.30 WIB (terlambat 1 hari kerja).',
    });
  });

  it('posts to the webhook signed, with an idempotency key, and retries a failing receiver', async () => {
    const secret = 'webhook-secret-0123456789';
    const seen: { status: number; valid: boolean; key: string | undefined; body: Record<string, unknown> }[] = [];
    server = createServer(async (req: IncomingMessage, res) => {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const valid = verify(secret, { signature: req.headers['x-stokcerdas-signature'] as string, timestamp: req.headers['x-stokcerdas-timestamp'] as string }, raw, Math.floor(Date.parse(OPEN) / 1000) + 60);
      const status = seen.length === 0 ? 503 : 200;
      seen.push({ status, valid, key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw) });
      res.writeHead(status).end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const b = await start({ channels: ['webhook'], webhook: { url, secret } });
    await b.publish('inventory.stock.out', low('SKU-1', 'GUDANG-1', 0));
    await b.idle();
    await b.advance(5_000);
    expect(seen.map((s) => s.status)).toEqual([503, 200]);
    expect(seen.every((s) => s.valid)).toBe(true);
    expect(seen[1]).toMatchObject({ key: seen[0]!.body.notificationId, body: expect.objectContaining({ channel: 'webhook', kind: 'stock-out' }) });
    expect(b.resolve<{ stats(): Record<string, number> }>('notifications').stats()).toMatchObject({ webhookDelivered: 1, webhookFailed: 1 });
  });

  it('dead-letters at once what the webhook refuses as bad', async () => {
    server = createServer((_req, res) => res.writeHead(422).end('no such tenant'));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const b = await start({ channels: ['webhook'], webhook: { url, secret: 'webhook-secret-0123456789' } });
    await b.publish('inventory.stock.out', low('SKU-1', 'GUDANG-1', 0));
    await b.idle();
    expect(b.deadLettered).toEqual([
      expect.objectContaining({ queue: 'stokcerdas.notifications.webhook', headers: expect.objectContaining({ 'x-death-reason': 'non-retryable' }) }),
    ]);
  });

  it('refuses the webhook channel without a webhook, with the path', async () => {
    await expect(start({ channels: ['sms', 'webhook'] })).rejects.toThrow(/notifications.*webhook.*set webhook\.url/);
  });
});
