/**
 * StokcerdasModule without a broker URL runs on the memory transport: the distributed consumers
 * read the client's own in-process broker, so `distributed: true` still delivers (and retries).
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { EventBusService, MessageBrokerService, ProductCreatedEvent, StokcerdasClient, StokcerdasModule } from 'stokcerdas/nestjs';
import { silentLogger } from '../../runtime/observability/logger.ts';
import { waitFor } from '../support/broker.ts';

describe('StokcerdasModule on the memory transport', () => {
  it('delivers distributed subscriptions from the in-process broker, with a retry', async () => {
    const app = await Test.createTestingModule({
      imports: [StokcerdasModule.forRoot({ service: 'catalog-app', retry: { maxAttempts: 2, delayMs: 50 }, logger: silentLogger })],
    }).compile();
    const bus = app.get(EventBusService);
    const tries: string[] = [];
    class ProductHandler {
      async handle(event: ProductCreatedEvent) {
        tries.push(event.productData.id);
        if (tries.length === 1) throw new Error('first try fails');
      }
    }
    bus.subscribe('inventory.product.created', new ProductHandler(), { local: false, distributed: true });
    await app.init();
    try {
      expect(app.get(StokcerdasClient).transport.kind).toBe('memory');
      await bus.publishInventoryEvent('inventory.product.created', new ProductCreatedEvent({ tenantId: 't' }, { id: 'SKU-7', name: 'Kopi' }));
      await waitFor(() => tries.length === 2, 5_000, 'the retried delivery');
      expect(tries).toEqual(['SKU-7', 'SKU-7']);
      expect(app.get(MessageBrokerService).getMessageHandlerStats().handlers[0]).toMatchObject({
        handler: 'catalog-app/ProductHandler',
        queue: 'stokcerdas.catalog-app.ProductHandler.inventory.product.created',
        succeeded: 1,
        retried: 1,
      });
    } finally {
      await app.close();
    }
    expect(app.get(StokcerdasClient).state).toBe('closed');
  });

  it('gives a handler class subscribed twice two handler names and two queues', async () => {
    const app = await Test.createTestingModule({ imports: [StokcerdasModule.forRoot({ service: 'twice-app', logger: silentLogger })] }).compile();
    const bus = app.get(EventBusService);
    const got: string[] = [];
    class Counter {
      constructor(private readonly label: string) {}
      handle(event: ProductCreatedEvent) {
        got.push(`${this.label}:${event.productData.id}`);
      }
    }
    bus.subscribe('inventory.product.created', new Counter('a'), { local: false, distributed: true });
    bus.subscribe('inventory.product.created', new Counter('b'), { local: false, distributed: true });
    await app.init();
    try {
      await bus.publishInventoryEvent('inventory.product.created', new ProductCreatedEvent({ tenantId: 't' }, { id: 'SKU-8' }));
      await waitFor(() => got.length === 2, 5_000, 'both handlers');
      expect(got.sort()).toEqual(['a:SKU-8', 'b:SKU-8']);
      const handlers = app.get(MessageBrokerService).getMessageHandlerStats().handlers.map((h) => [h.handler, h.queue]);
      expect(handlers.sort()).toEqual([
        ['twice-app/Counter', 'stokcerdas.twice-app.Counter.inventory.product.created'],
        ['twice-app/Counter-2', 'stokcerdas.twice-app.Counter.inventory.product.created.2'],
      ]);
    } finally {
      await app.close();
    }
  });

  it('with local.enabled false, subscriptions have no local side and publishing still goes to the broker', async () => {
    const app = await Test.createTestingModule({ imports: [StokcerdasModule.forRoot({ local: { enabled: false }, logger: silentLogger })] }).compile();
    await app.init();
    try {
      const bus = app.get(EventBusService);
      const got: string[] = [];
      bus.subscribe('inventory.#', { handle: (e: ProductCreatedEvent) => void got.push(e.productData.id) });
      expect(bus.getSubscriptionStats()).toMatchObject({ totalSubscriptions: 1, localSubscriptions: 0 });
      await bus.publishInventoryEvent('inventory.product.created', new ProductCreatedEvent({ tenantId: 't' }, { id: 'SKU-1' }));
      expect(app.get(StokcerdasClient).stats().published).toEqual({ 'inventory.product.created': 1 });
      expect(got).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
