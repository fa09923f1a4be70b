import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestBus, type TestBus } from 'stokcerdas/testing';
import { forecastUpdatedSchema, reorderSuggestedSchema, seriesUpdatedSchema } from './events.ts';
import mlForecasting from './index.ts';
import { generateSeries } from './synthetic.ts';

/** The plugin end to end on the fake bus: inline ingest, batching, the worker fit, the events. */

const buses: TestBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

// 2026-01-05 10:00 WIB, the fake bus's default start: "today" is 2026-01-05
const NOW = '2026-01-05T03:00:00Z';

async function start(options: Record<string, unknown> = {}) {
  const bus = await createTestBus({ plugins: [mlForecasting], options: { 'ml-forecasting': options }, now: NOW });
  buses.push(bus);
  return bus;
}

const of = (bus: TestBus, type: string) => bus.published.filter((e) => e.type === type);
/** The forecast detail of a published `analytics.forecast.updated`, checked by the plugin's schema. */
const forecastOf = (data: unknown) => forecastUpdatedSchema.parse(data).forecastData;
const seriesOf = (data: unknown) => seriesUpdatedSchema.parse(data);

type MovementType = 'in' | 'out' | 'adjustment' | 'sale' | 'damaged';

/** `inventory.stock.level.changed` in the canonical shape: `previous` → `current` units. */
function movement(productId: string, locationId: string, previous: number, current: number, type: MovementType, referenceId?: string) {
  return {
    productData: { id: productId },
    locationData: { id: locationId },
    stockMovement: { type, quantity: current - previous, ...(referenceId ? { referenceId } : {}) },
    stockLevel: { previous, current },
  };
}

/** Lets both batch stages flush (ingest 1 s, forecast 2 s of virtual time) and the worker finish. */
async function settle(bus: TestBus) {
  await bus.idle();
  await bus.advance(1_000);
  await bus.idle();
  await bus.advance(2_000);
  await bus.idle();
}

/** One sale movement a day, at noon WIB, for the days before NOW; the last event sets the stock on hand. */
async function publishHistory(bus: TestBus, values: number[], stockOnHand: number, product = 'SKU-KURMA', tenantId = 'toko-1') {
  const first = Date.parse('2026-01-05T05:00:00Z') - values.length * 86_400_000;
  let level = 10_000;
  for (const [i, q] of values.entries()) {
    if (q === 0) continue;
    await bus.publish('inventory.stock.level.changed', movement(product, 'WH-JKT', level, level - q, 'sale'), {
      tenantId,
      time: new Date(first + i * 86_400_000).toISOString(),
    });
    level -= q;
  }
  await bus.publish('inventory.stock.level.changed', movement(product, 'WH-JKT', level, stockOnHand, 'adjustment'), { tenantId });
}

const history = generateSeries({ seed: 7, end: '2026-01-04', days: 84, base: 30, noise: 0.1 }).values;

describe('ml-forecasting on the fake bus', () => {
  it('turns a burst of stock movements into one fit and one 30-day forecast with intervals', async () => {
    const bus = await start();
    await publishHistory(bus, history, 5_000);
    await settle(bus);
    const forecasts = of(bus, 'analytics.forecast.updated');
    expect(forecasts).toHaveLength(1);
    expect(forecasts[0].data).toMatchObject({ productData: { id: 'SKU-KURMA' }, locationData: { id: 'WH-JKT' } });
    const f = forecastOf(forecasts[0].data);
    expect(f).toMatchObject({ historyDays: 84, horizonDays: 30, currentLevel: 5_000 });
    expect(f.model.name).toMatch(/^holt-winters/);
    expect(f.forecast).toHaveLength(30);
    expect(f.forecast[0].date).toBe('2026-01-05');
    for (const d of f.forecast) {
      expect(d.lower95).toBeLessThanOrEqual(d.lower80);
      expect(d.lower80).toBeLessThanOrEqual(d.mean);
      expect(d.mean).toBeLessThanOrEqual(d.upper80);
      expect(d.upper80).toBeLessThanOrEqual(d.upper95);
    }
    // around 30 a day (trend +0.1 %/day): a week of lead time is a couple of hundred units
    expect(f.leadTimeDemand).toBeGreaterThan(150);
    expect(f.leadTimeDemand).toBeLessThan(350);
    expect(f.reorderPoint).toBe(Math.ceil(f.leadTimeDemand + f.safetyStock - 1e-9));
    expect(f.daysUntilStockOut).toBeNull(); // 5 000 units outlast the 30-day horizon
    expect(forecasts[0].tenantid).toBe('toko-1');
    expect(of(bus, 'inventory.alert.reorder.suggested')).toEqual([]);
    expect(bus.failed).toEqual([]);
  });

  it('fits a product once for snapshots from two ingest batches, on a worker thread', async () => {
    const bus = await start();
    await publishHistory(bus, history.slice(0, 42), 900);
    await bus.idle();
    await bus.advance(1_000); // first ingest batch → first snapshot; the forecast batch opens (2 s)
    await bus.publish('inventory.stock.level.changed', movement('SKU-KURMA', 'WH-JKT', 900, 890, 'sale'), { tenantId: 'toko-1' });
    await bus.idle();
    await bus.advance(1_000); // second ingest batch → second snapshot, into the same forecast batch
    await bus.idle();
    await bus.advance(1_000);
    await bus.idle();
    expect(of(bus, 'analytics.demand.series.updated')).toHaveLength(2);
    const forecasts = of(bus, 'analytics.forecast.updated');
    expect(forecasts).toHaveLength(1);
    expect(forecastOf(forecasts[0].data)).toMatchObject({ soldToday: 10, currentLevel: 890 }); // the later snapshot won
    const stats = bus.host.stats();
    expect(stats.subscriptions.find((s) => s.handler === 'ml-forecasting/forecast')?.mode).toBe('worker');
    expect(stats.batches.find((b) => b.handler === 'ml-forecasting/forecast')).toMatchObject({ batches: 1, events: 2 });
  });

  it('suggests a reorder when stock on hand is below the reorder point', async () => {
    const bus = await start({ leadTimeDays: 5, serviceLevel: 0.98 });
    await publishHistory(bus, history, 60);
    await settle(bus);
    const f = forecastOf(of(bus, 'analytics.forecast.updated')[0].data);
    expect(f.reorderPoint).toBeGreaterThan(60);
    expect(f.daysUntilStockOut).toBeLessThanOrEqual(2);
    const [alert] = of(bus, 'inventory.alert.reorder.suggested');
    // the catalog's stock-alert shape, the plan in alertData
    expect(reorderSuggestedSchema.parse(alert.data)).toMatchObject({
      productData: { id: 'SKU-KURMA' },
      locationData: { id: 'WH-JKT' },
      stockLevel: { current: 60, reorderPoint: f.reorderPoint },
      alertData: { severity: 'critical', suggestedQuantity: f.suggestedQuantity, leadTimeDays: 5, serviceLevel: 0.98 },
    });
    expect(f.suggestedQuantity).toBeGreaterThan(f.reorderPoint - 60);
    expect(alert.tenantid).toBe('toko-1');
  });

  it('counts a sale once when it arrives as a completed order and as a movement naming the order', async () => {
    const bus = await start({ minHistoryDays: 1 });
    const yesterday = '2026-01-04T05:00:00Z';
    const order = {
      orderData: {
        id: 'ORD-9',
        items: [
          { productData: { id: 'SKU-1' }, quantity: 2, unitPrice: 1000 },
          { productData: { id: 'SKU-1' }, quantity: 3, unitPrice: 1000 },
        ],
      },
      locationData: { id: 'WH-JKT' },
    };
    await bus.publish('orders.order.completed', order, { time: yesterday });
    await bus.publish('orders.order.completed', order, { time: yesterday }); // a second copy from the producer
    await bus.publish('inventory.stock.level.changed', movement('SKU-1', 'WH-JKT', 50, 45, 'sale', 'ORD-9'), { time: yesterday });
    await settle(bus);
    const last = seriesOf(of(bus, 'analytics.demand.series.updated').at(-1)!.data);
    expect(last).toMatchObject({ productId: 'SKU-1', values: [5], today: '2026-01-05', soldToday: 0, currentLevel: 45 });
  });

  it('ignores restocks and movements that are not demand', async () => {
    const bus = await start({ minHistoryDays: 1 });
    const at = { time: '2026-01-04T05:00:00Z' };
    await bus.publish('inventory.stock.level.changed', movement('SKU-2', 'WH', 0, 40, 'in'), at);
    await bus.publish('inventory.stock.level.changed', movement('SKU-2', 'WH', 40, 38, 'damaged'), at);
    await bus.publish('inventory.stock.level.changed', movement('SKU-2', 'WH', 38, 35, 'sale'), at);
    await bus.publish('inventory.stock.level.changed', movement('SKU-2', 'WH', 35, 34, 'out'));
    await settle(bus);
    const last = seriesOf(of(bus, 'analytics.demand.series.updated').at(-1)!.data);
    expect(last).toMatchObject({ values: [3], soldToday: 1, currentLevel: 34 });
  });

  it('handles legacy flat (version 1) movements and orders, upcast before ingest', async () => {
    const bus = await start({ minHistoryDays: 1 });
    const yesterday = { time: '2026-01-04T05:00:00Z', tenantId: 'toko-1' };
    await bus.publish(
      'inventory.stock.level.changed',
      { productId: 'SKU-3', locationId: 'WH', previousLevel: 20, newLevel: 16, quantityChanged: -4, movementType: 'sale', tenantId: 'toko-1' },
      yesterday,
    );
    await bus.publish('orders.order.completed', { orderId: 'ORD-F', locationId: 'WH', items: [{ productId: 'SKU-3', quantity: 2, unitPrice: 500 }] }, yesterday);
    await settle(bus);
    const last = seriesOf(of(bus, 'analytics.demand.series.updated').at(-1)!.data);
    expect(last).toMatchObject({ tenantId: 'toko-1', productId: 'SKU-3', locationId: 'WH', values: [6], currentLevel: 16 });
  });

  it('falls back to simple exponential smoothing on a history shorter than two weeks', async () => {
    const bus = await start();
    await publishHistory(bus, [12, 9, 14, 11, 10, 13, 12, 11, 9, 10], 500);
    await settle(bus);
    const f = forecastOf(of(bus, 'analytics.forecast.updated')[0].data);
    expect(f.model.name).toBe('ses');
    expect(f.forecast[0].mean).toBeGreaterThan(8);
    expect(f.forecast[0].mean).toBeLessThan(14);
  });

  it('publishes nothing for a product with fewer complete days than minHistoryDays', async () => {
    const bus = await start({ minHistoryDays: 5 });
    await publishHistory(bus, [3, 4, 5], 100);
    await settle(bus);
    expect(of(bus, 'analytics.demand.series.updated')).toEqual([]);
    expect(of(bus, 'analytics.forecast.updated')).toEqual([]);
  });

  it('refuses options outside their range, naming the field', async () => {
    await expect(createTestBus({ plugins: [mlForecasting], options: { 'ml-forecasting': { serviceLevel: 1.5 } } })).rejects.toThrow(/serviceLevel/);
  });

  it('keeps the series in the SQLite file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlf-'));
    try {
      const store = { kind: 'sqlite', path: join(dir, 'series.sqlite') };
      const first = await start({ store });
      await publishHistory(first, history.slice(0, 40), 800);
      await settle(first);
      await first.close();
      buses.splice(buses.indexOf(first), 1);

      const second = await start({ store, minHistoryDays: 1 });
      await second.publish('inventory.stock.level.changed', movement('SKU-KURMA', 'WH-JKT', 800, 790, 'sale'), { tenantId: 'toko-1' });
      await settle(second);
      const f = forecastOf(of(second, 'analytics.forecast.updated')[0].data);
      // the first host saw the 40 days before today; the second adds today's sale to them
      expect(f).toMatchObject({ historyDays: 40, soldToday: 10, currentLevel: 790 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000); // two hosts and a SQLite file, each fitting on a worker: slow on a loaded machine
});
