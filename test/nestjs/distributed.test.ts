/**
 * StokcerdasModule.forRootAsync on the real RabbitMQ: a distributed subscription consumes from a
 * queue of its own with the runtime's broker-held retries, dead-lettering and dedupe; local-only
 * publishing, batching, refusals and the shutdown order.
 */
import 'reflect-metadata';
import amqp, { type ChannelModel } from 'amqplib';
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from 'stokcerdas';
import {
  DomainEvent,
  EventBusService,
  MessageBrokerService,
  MetricRecordedEvent,
  OrderCreatedEvent,
  StokcerdasClient,
  StokcerdasModule,
  type EventHandler,
} from 'stokcerdas/nestjs';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../support/broker.ts';

const prefix = uniquePrefix('nestjs-dist');
const QUEUE = `${prefix}.flaky-app.FlakyOrderHandler.orders.order.created`;
let url: string;
let conn: ChannelModel;
let app: TestingModule;

/** fails `RETRY` once, `FAIL` always; remembers every call */
class FlakyOrderHandler implements EventHandler<OrderCreatedEvent> {
  readonly calls: OrderCreatedEvent[] = [];
  async handle(event: OrderCreatedEvent): Promise<void> {
    this.calls.push(event);
    const tries = this.calls.filter((c) => c.eventId === event.eventId).length;
    if (event.orderData.id === 'FAIL' || (event.orderData.id === 'RETRY' && tries === 1)) throw new Error(`cannot handle ${event.orderData.id} (try ${tries})`);
  }
}

const metrics: MetricRecordedEvent[] = [];

@Injectable()
class OrdersListener implements OnModuleInit {
  readonly flaky = new FlakyOrderHandler();
  // explicit token: works with or without emitDecoratorMetadata
  constructor(@Inject(EventBusService) private readonly bus: EventBusService) {}
  onModuleInit() {
    this.bus.subscribe('orders.order.created', this.flaky, { local: false, distributed: true });
    this.bus.subscribe('analytics.#', { handle: (e: MetricRecordedEvent) => void metrics.push(e) });
  }
}

@Module({ providers: [{ provide: 'SETTINGS', useFactory: async () => ({ url: await getBrokerUrl() }) }], exports: ['SETTINGS'] })
class SettingsModule {}

const context = { tenantId: 'toko-9', userId: 'kasir-1' };

beforeAll(async () => {
  url = await getBrokerUrl();
  conn = await amqp.connect(url);
  app = await Test.createTestingModule({
    imports: [
      StokcerdasModule.forRootAsync({
        imports: [SettingsModule],
        inject: ['SETTINGS'],
        useFactory: (settings: { url: string }) => ({
          broker: { url: settings.url, prefix },
          service: 'flaky-app',
          retry: { maxAttempts: 3, delayMs: 200, multiplier: 1, maxDelayMs: 200 },
          batch: { size: 3, flushMs: 60_000 },
          logger: silentLogger,
        }),
      }),
    ],
    providers: [OrdersListener],
  }).compile();
  await app.init();
}, 90_000);

afterAll(async () => {
  await app?.close();
  await conn?.close().catch(() => {});
  if (url) await deleteByPrefix(url, prefix);
});

describe('distributed subscriptions', () => {
  it('retries through the broker, dead-letters after the last attempt, and skips a redelivered event id', async () => {
    const bus = app.get(EventBusService);
    const flaky = app.get(OrdersListener).flaky;
    const retry = new OrderCreatedEvent(context, { id: 'RETRY', totalAmount: 10_000 });
    const fail = new OrderCreatedEvent(context, { id: 'FAIL' });
    const once = new OrderCreatedEvent(context, { id: 'ONCE' });
    await bus.publishOrderEvent('orders.order.created', retry);
    await bus.publishOrderEvent('orders.order.created', fail);
    await bus.publishOrderEvent('orders.order.created', once);
    // the same event id again: the dedupe store remembers it was handled
    await waitFor(() => flaky.calls.some((c) => c.eventId === once.eventId), 10_000, 'ONCE handled');
    await bus.publishOrderEvent('orders.order.created', once);

    const ch = await conn.createChannel();
    await waitFor(async () => (await ch.checkQueue(`${QUEUE}.dlq`)).messageCount === 1, 15_000, 'FAIL in the dead-letter queue');
    const dead = await ch.get(`${QUEUE}.dlq`, { noAck: true });
    if (!dead) throw new Error('the dead letter went away');
    expect(dead.properties.headers).toMatchObject({ 'x-death-reason': 'retries-exhausted', 'x-attempts': 3, 'x-handler': 'flaky-app/FlakyOrderHandler' });
    expect(JSON.parse(dead.content.toString())).toMatchObject({ id: fail.eventId, tenantid: 'toko-9', data: { orderData: { id: 'FAIL' } } });
    await ch.close();

    const tries = (id: string) => flaky.calls.filter((c) => c.orderData.id === id).length;
    expect([tries('RETRY'), tries('FAIL'), tries('ONCE')]).toEqual([2, 3, 1]);
    // what the handler got: the seed's class, ids and context from the CloudEvent
    const got = flaky.calls.find((c) => c.orderData.id === 'RETRY')!;
    expect(got).toBeInstanceOf(OrderCreatedEvent);
    expect(got).toMatchObject({ eventId: retry.eventId, tenantId: 'toko-9', userId: 'kasir-1', orderData: { id: 'RETRY', totalAmount: 10_000 } });
    expect(got.timestamp.toISOString()).toBe(retry.timestamp.toISOString());
    expect(got.metadata?.indonesianContext).toMatchObject({ timezone: 'Asia/Jakarta' });
    expect(got.toPayload()).toEqual(retry.toPayload());

    await waitFor(() => statsOf().deduplicated === 1, 10_000, 'the duplicate skipped');
    expect(statsOf()).toMatchObject({ queue: QUEUE, succeeded: 2, retried: 3, deadLettered: 1, deduplicated: 1 });
  });

  it('local-only events reach local subscribers as their class; batches go out at batch.size; bad events are refused', async () => {
    const bus = app.get(EventBusService);
    await bus.publishAnalyticsEvent('analytics.metric.recorded', new MetricRecordedEvent(context, { name: 'omzet', value: 1_500_000, unit: 'IDR' }), { distributed: false });
    await waitFor(() => metrics.length === 1, 5_000, 'the local subscriber');
    expect(metrics[0]).toBeInstanceOf(MetricRecordedEvent);
    expect(metrics[0]).toMatchObject({ tenantId: 'toko-9', metricData: { name: 'omzet', value: 1_500_000 } });
    expect(app.get(StokcerdasClient).stats().published['analytics.metric.recorded']).toBeUndefined();

    const sends = [1, 2, 3].map((n) => bus.publishAnalyticsEvent('analytics.metric.recorded', new MetricRecordedEvent(context, { name: 'orders', value: n }), { batch: true }));
    await Promise.all(sends);
    expect(bus.getEventBatchStats()).toMatchObject({ pendingEvents: 0, batchesSent: 1, eventsSent: 3, batchSize: 3 });
    await waitFor(() => metrics.length === 4, 5_000, 'the batch seen locally');

    const bad = new DomainEvent('inventory.stock.level.changed', context, { productData: { id: 'P' } });
    await expect(bus.publishInventoryEvent('inventory.stock.level.changed', bad)).rejects.toMatchObject({ code: ErrorCodes.EVENT_INVALID });
    expect(() => bus.subscribe('#', { handle() {} }, { distributed: true })).toThrow(/must start with a domain/);
  });

  it('closes consumers before the connection, and the connection last', async () => {
    const client = app.get(StokcerdasClient);
    await app.close();
    expect(client.state).toBe('closed');
    app = undefined as unknown as TestingModule;
  });
});

function statsOf() {
  return app.get(MessageBrokerService).getMessageHandlerStats().handlers[0]!;
}
