/**
 * The seed's usage examples (examples/nestjs: InventoryService.updateStock, NotificationService
 * with StockLevelChangedHandler, SomeService.sendMessage), booted with @nestjs/testing on the real
 * RabbitMQ beside a host running the bundled notifications and ml-forecasting plugins.
 */
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp, { type ChannelModel } from 'amqplib';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHost, type Host, type StokEvent } from 'stokcerdas';
import { verify } from 'stokcerdas/webhooks';
import { EventBusService, LowStockAlertEvent, MessageBrokerService } from 'stokcerdas/nestjs';
import notifications from '../../plugins/notifications/index.ts';
import mlForecasting from '../../plugins/ml-forecasting/index.ts';
import { silentLogger } from '../../runtime/observability/logger.ts';
import type { DemandStore } from '../../plugins/ml-forecasting/store/index.ts';
import { localDate } from '../../plugins/ml-forecasting/observations.ts';
import { AppModule } from '../../examples/nestjs/app.module.ts';
import { InventoryService } from '../../examples/nestjs/inventory.service.ts';
import { SomeService } from '../../examples/nestjs/some.service.ts';
import { locationData, productData } from '../../examples/nestjs/seed-sample-data.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../support/broker.ts';

const secret = 'seed-example-secret-0123';
const prefix = uniquePrefix('nestjs-seed');
let url: string;
let server: Server;
let conn: ChannelModel;
let host: Host;
let app: TestingModule;
const hooks: { body: Record<string, any>; valid: boolean }[] = [];
/** what the host's plugins consumed, by handler */
const consumed: { handler: string; event: StokEvent }[] = [];
/** what reached the inventory exchange under inventory.stock.update (an outside reader's view) */
const tapped: { body: Record<string, any>; priority?: number; deliveryMode?: number; contentType?: string }[] = [];

beforeAll(async () => {
  url = await getBrokerUrl();
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const headers = { signature: req.headers['x-stokcerdas-signature'] as string, timestamp: req.headers['x-stokcerdas-timestamp'] as string };
    hooks.push({ body: JSON.parse(raw), valid: verify(secret, headers, raw, Math.floor(Date.now() / 1000)) });
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;

  // the host with the bundled plugins, started first: its queues must exist before anything is published
  host = createHost(
    {
      broker: { url, prefix, connectionName: `${prefix}-host` },
      http: { enabled: false },
      workers: { minThreads: 1, maxThreads: 1 },
      plugins: {
        options: {
          notifications: { channels: ['webhook'], deferral: { enabled: false }, webhook: { url: webhookUrl, secret } },
          'ml-forecasting': { store: { kind: 'memory' } },
        },
      },
      bindings: { 'ml-forecasting/movements': { batch: { size: 50, flushMs: 200 } } },
    },
    { plugins: [notifications, mlForecasting], logger: silentLogger, hooks: { consumed: (event, binding) => consumed.push({ handler: binding.key, event }) } },
  );
  await host.start();

  conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  const { queue } = await ch.assertQueue(`${prefix}.tap.stock-update`, { exclusive: true });
  await ch.bindQueue(queue, `${prefix}.inventory.events`, 'inventory.stock.update');
  await ch.consume(queue, (m) => {
    if (!m) return;
    tapped.push({ body: JSON.parse(m.content.toString()), priority: m.properties.priority, deliveryMode: m.properties.deliveryMode, contentType: m.properties.contentType });
    ch.ack(m);
  });

  // the seed's app, as NestJS boots it: onModuleInit subscribes, bootstrap starts the distributed consumer
  app = await Test.createTestingModule({
    imports: [AppModule.with({ broker: { url, prefix }, service: 'seed-example', logger: silentLogger })],
  }).compile();
  await app.init();
}, 90_000);

afterAll(async () => {
  await app?.close();
  await host?.stop();
  await conn?.close().catch(() => {});
  server?.closeAllConnections();
  server?.close();
  if (url) await deleteByPrefix(url, prefix);
});

describe('the seed examples on StokcerdasModule', () => {
  it('updateStock publishes the seed-shaped event: the plugins consume it and the handler fires locally and from its queue', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await app.get(InventoryService).updateStock('PROD-001', 95);
      // once in this process (local: true), once from the service's own queue (distributed: true)
      await waitFor(() => log.mock.calls.filter((c) => c[0] === 'Stock changed for product PROD-001').length === 2, 15_000, 'the handler, local and distributed');
    } finally {
      log.mockRestore();
    }

    // ml-forecasting's movements handler consumed the canonical payload with the seed's context
    await waitFor(() => consumed.some((c) => c.handler === 'ml-forecasting/movements'), 15_000, 'ml-forecasting consumed');
    const movement = consumed.find((c) => c.handler === 'ml-forecasting/movements')!.event;
    expect(movement).toMatchObject({
      type: 'inventory.stock.level.changed',
      tenantid: 'tenant-123',
      userid: 'user-456',
      correlationid: 'correlation-789',
      dataschema: 'urn:stokcerdas:event:inventory.stock.level.changed:v2',
      data: { productData, locationData, stockMovement: { type: 'sale', quantity: -5 }, stockLevel: { previous: 100, current: 95 } },
    });
    // Bali is WITA: the zone comes from locationData.province
    expect(movement.context.geographicContext).toMatchObject({ timeZone: 'WITA', province: 'ID-BA' });
    await waitFor(() => host.stats().subscriptions.find((s) => s.handler === 'ml-forecasting/movements')!.succeeded >= 1, 10_000, 'movements handled');
    expect(host.stats().subscriptions.find((s) => s.handler === 'ml-forecasting/movements')).toMatchObject({ failed: 0, deadLettered: 0 });
    // the forecast series of the product at the location: today's demand 5 (the sale), level 95
    const store = host.resolve<DemandStore>('mlForecastingStore');
    const today = localDate(Date.now(), 'Asia/Makassar');
    const series = await store.snapshot({ tenantId: 'tenant-123', productId: 'PROD-001', locationId: 'LOC-001' }, today, 7);
    expect(series).toMatchObject({ level: { value: 95 } });
    expect(series!.values.at(-1)).toBe(5);

    const broker = app.get(MessageBrokerService);
    const stats = broker.getMessageHandlerStats();
    expect(stats.totalHandlers).toBe(1);
    expect(stats.handlers[0]).toMatchObject({
      handler: 'seed-example/StockLevelChangedHandler',
      queue: `${prefix}.seed-example.StockLevelChangedHandler.inventory.stock.level.changed`,
      consumed: 1,
      succeeded: 1,
      failed: 0,
    });
    expect(stats.published['inventory.stock.level.changed']).toBe(1);
    const bus = app.get(EventBusService);
    expect(bus.getSubscriptionStats()).toMatchObject({
      totalSubscriptions: 1,
      subscriptionsByType: { 'inventory.stock.level.changed': 1 },
      localSubscriptions: 1,
      distributedSubscriptions: 1,
      localHandled: 1,
      localFailures: 0,
    });
    expect(broker.getConnectionStatus()).toMatchObject({ isConnected: true, reconnectAttempts: 0, transport: 'amqp', consumersConnected: true });
    expect(bus.getEventBatchStats()).toMatchObject({ pendingEvents: 0, batchSize: 100, flushIntervalMs: 5000 });
  });

  it('a low-stock alert published through the seed API goes out as a signed webhook from the notifications plugin', async () => {
    const event = new LowStockAlertEvent(
      { tenantId: 'tenant-123', userId: 'user-456', correlationId: 'correlation-alert' },
      productData,
      locationData,
      { current: 3, reorderPoint: 20 },
      { severity: 'warning' },
    );
    await app.get(EventBusService).publishInventoryEvent('inventory.stock.low', event, { priority: 8 });
    await waitFor(() => hooks.some((h) => h.body.source?.eventId === event.eventId), 15_000, 'the webhook');
    const hook = hooks.find((h) => h.body.source?.eventId === event.eventId)!;
    expect(hook.valid).toBe(true);
    expect(hook.body).toMatchObject({ channel: 'webhook', kind: 'stock-low', tenantId: 'tenant-123', source: { type: 'inventory.stock.low', eventId: event.eventId } });
    expect(hook.body).toMatchObject({ title: expect.stringContaining('Minyak Goreng 2 L'), subject: { productId: 'PROD-001', locationId: 'LOC-001' } });
    const seen = consumed.find((c) => c.handler === 'notifications/stock' && c.event.id === event.eventId)!;
    expect(seen.event).toMatchObject({ tenantid: 'tenant-123', correlationid: 'correlation-alert', time: event.timestamp.toISOString(), data: { productData, locationData } });
  });

  it('sendMessage reaches the inventory exchange under the configured prefix as a CloudEvent with the seed properties', async () => {
    await app.get(SomeService).sendMessage();
    await waitFor(() => tapped.length === 1, 10_000, 'the stock update on the exchange');
    const [m] = tapped;
    expect(m).toMatchObject({ priority: 8, deliveryMode: 2, contentType: 'application/cloudevents+json' });
    expect(m!.body).toMatchObject({
      specversion: '1.0',
      type: 'inventory.stock.update',
      messagetype: 'stock_update',
      indotimezone: 'Asia/Jakarta',
      indozone: 'WIB',
      data: { productId: 'PROD-001', newStock: 100, locationId: 'LOC-001' },
    });
    expect(typeof m!.body.indobusinesshours).toBe('boolean');
  });
});
