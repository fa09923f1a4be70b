/**
 * ml-forecasting on real RabbitMQ: stock movements published to the broker become one series
 * snapshot on `<prefix>.ml.forecasting`, fitted on a worker thread, and the forecast and the
 * reorder suggestion arrive on the broker as CloudEvents another client can read (series in a
 * SQLite file). Then two hosts as competing consumers share a PostgreSQL store: the series holds
 * every sale whichever host consumed it. Names live under unique prefixes and schemas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host, type StokEvent } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { forecastUpdatedSchema, reorderSuggestedSchema } from '../../../plugins/ml-forecasting/events.ts';
import mlForecasting from '../../../plugins/ml-forecasting/index.ts';
import { localDate } from '../../../plugins/ml-forecasting/observations.ts';
import { generateSeries } from '../../../plugins/ml-forecasting/synthetic.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

const prefix = uniquePrefix('ml-forecasting');
const dir = mkdtempSync(join(tmpdir(), 'mlf-amqp-'));
let url: string;
let host: Host;
let connection: amqp.ChannelModel;
const published: StokEvent[] = [];
const onWire: { routingKey: string; contentType?: string; body: Record<string, any> }[] = [];

beforeAll(async () => {
  url = await getBrokerUrl();
  host = createHost(
    {
      transport: 'amqp',
      broker: { url, prefix, connectionName: prefix },
      http: { enabled: false },
      workers: { minThreads: 1, maxThreads: 2 },
      plugins: { options: { 'ml-forecasting': { store: { kind: 'sqlite', path: join(dir, 'series.sqlite') }, leadTimeDays: 5 } } },
      // short batch windows: the test waits in real time
      bindings: {
        'ml-forecasting/movements': { batch: { size: 500, flushMs: 300 } },
        'ml-forecasting/forecast': { batch: { size: 50, flushMs: 300 } },
      },
    },
    { plugins: [mlForecasting], logger: silentLogger, hooks: { published: (e) => published.push(e) } },
  );
  await host.start();

  // an outside client listening for what the plugin publishes
  connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue(`${prefix}.observer`, { exclusive: true });
  await channel.bindQueue(queue, `${prefix}.analytics.events`, 'analytics.forecast.updated');
  await channel.bindQueue(queue, `${prefix}.inventory.events`, 'inventory.alert.reorder.suggested');
  await channel.consume(queue, (m) => {
    if (!m) return;
    onWire.push({ routingKey: m.fields.routingKey, contentType: m.properties.contentType, body: JSON.parse(m.content.toString()) });
    channel.ack(m);
  });
}, 60_000);

afterAll(async () => {
  await connection?.close().catch(() => {});
  await host?.stop();
  if (url) await deleteByPrefix(url, prefix);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('ml-forecasting on RabbitMQ (real broker)', () => {
  it('forecasts from stock movements and publishes the forecast and a reorder suggestion to the broker', async () => {
    const values = generateSeries({ seed: 42, end: '2025-10-31', days: 35, base: 20, noise: 0.1 }).values;
    // noon of today in Jakarta (the zone the series counts days in when no province is given)
    const todayNoon = new Date(`${localDate(Date.now(), 'Asia/Jakarta')}T12:00:00+07:00`);
    let level = 5_000;
    await Promise.all(
      values.map((q, i) => {
        level -= q;
        return host.publish(
          'inventory.stock.level.changed',
          {
            productData: { id: 'SKU-TEH' },
            locationData: { id: 'WH-SBY' },
            stockMovement: { type: 'sale', quantity: -q },
            stockLevel: { previous: level + q, current: level },
          },
          { tenantId: 'toko-amqp', time: new Date(todayNoon.getTime() - (values.length - i) * 86_400_000) },
        );
      }),
    );
    // stock falls to 30 units today: below a 5-day reorder point of roughly 100
    await host.publish(
      'inventory.stock.level.changed',
      {
        productData: { id: 'SKU-TEH' },
        locationData: { id: 'WH-SBY' },
        stockMovement: { type: 'adjustment', quantity: 30 - level },
        stockLevel: { previous: level, current: 30 },
      },
      { tenantId: 'toko-amqp', time: todayNoon },
    );

    await waitFor(() => onWire.length >= 2, 30_000, 'forecast and reorder suggestion on the broker');
    const forecast = onWire.find((m) => m.routingKey === 'analytics.forecast.updated')!;
    const reorder = onWire.find((m) => m.routingKey === 'inventory.alert.reorder.suggested')!;
    expect(forecast.contentType).toBe('application/cloudevents+json');
    expect(forecast.body).toMatchObject({
      specversion: '1.0',
      type: 'analytics.forecast.updated',
      tenantid: 'toko-amqp',
      data: {
        productData: { id: 'SKU-TEH' },
        locationData: { id: 'WH-SBY' },
        forecastData: { historyDays: 35, horizonDays: 30, currentLevel: 30, model: { name: expect.stringMatching(/^holt-winters/) } },
      },
    });
    const f = forecastUpdatedSchema.parse(forecast.body.data).forecastData;
    expect(f.forecast).toHaveLength(30);
    expect(reorder.body).toMatchObject({
      type: 'inventory.alert.reorder.suggested',
      tenantid: 'toko-amqp',
      data: {
        productData: { id: 'SKU-TEH' },
        locationData: { id: 'WH-SBY' },
        stockLevel: { current: 30, reorderPoint: f.reorderPoint },
        alertData: { leadTimeDays: 5 },
      },
    });
    expect(reorderSuggestedSchema.parse(reorder.body.data).alertData.suggestedQuantity).toBeGreaterThan(0);
    // 36 movements, each in one snapshot at most: far fewer fits than events
    const snapshots = published.filter((e) => e.type === 'analytics.demand.series.updated').length;
    expect(snapshots).toBeGreaterThanOrEqual(1);
    expect(snapshots).toBeLessThan(10);
    expect(onWire.filter((m) => m.routingKey === 'analytics.forecast.updated').length).toBeLessThanOrEqual(snapshots);
  });
});

describe('ml-forecasting on two hosts sharing PostgreSQL (real broker)', () => {
  const prefix2 = uniquePrefix('ml-forecasting-pg');
  const schema = `t_mlf_${Math.random().toString(36).slice(2, 10)}`;
  const pgUrl = process.env.MLF_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const hosts: Host[] = [];
  const snapshots: StokEvent[] = [];

  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    if (url) await deleteByPrefix(url, prefix2);
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }, 60_000);

  it('builds one series from the movements both hosts consumed', async () => {
    for (let i = 0; i < 2; i++) {
      const h = createHost(
        {
          transport: 'amqp',
          broker: { url, prefix: prefix2, connectionName: `${prefix2}-${i}` },
          http: { enabled: false },
          workers: { minThreads: 1, maxThreads: 1 },
          plugins: { options: { 'ml-forecasting': { store: { kind: 'postgres', url: pgUrl, schema } } } },
          bindings: {
            // small batches so the competing consumers split the movements between them
            'ml-forecasting/movements': { batch: { size: 5, flushMs: 200 }, prefetch: 5 },
            'ml-forecasting/forecast': { batch: { size: 50, flushMs: 500 } },
          },
        },
        { plugins: [mlForecasting], logger: silentLogger, hooks: { published: (e) => e.type === 'analytics.demand.series.updated' && snapshots.push(e) } },
      );
      await h.start();
      hosts.push(h);
    }
    const values = generateSeries({ seed: 43, end: '2025-10-31', days: 28, base: 12, noise: 0.1 }).values;
    const todayNoon = new Date(`${localDate(Date.now(), 'Asia/Jakarta')}T12:00:00+07:00`);
    await Promise.all(
      values.map((q, i) =>
        hosts[i % 2].publish(
          'inventory.stock.level.changed',
          {
            productData: { id: 'SKU-KOPI' },
            locationData: { id: 'WH-DPS' },
            stockMovement: { type: 'sale', quantity: -q },
            stockLevel: { previous: 1_000, current: 1_000 - q },
          },
          { tenantId: 'toko-pg', time: new Date(todayNoon.getTime() - (values.length - i) * 86_400_000) },
        ),
      ),
    );
    const total = values.reduce((a, b) => a + b, 0);
    const sumOf = (e: StokEvent) => (e.data as { values: number[] }).values.reduce((a, b) => a + b, 0);
    await waitFor(() => snapshots.some((e) => sumOf(e) === total), 30_000, 'a snapshot holding every sale');
    const consumed = hosts.map((h) => h.stats().subscriptions.find((s) => s.handler === 'ml-forecasting/movements')?.consumed ?? 0);
    expect(consumed.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(Math.min(...consumed)).toBeGreaterThan(0); // both hosts took part
    expect(snapshots.find((e) => sumOf(e) === total)!.data).toMatchObject({ tenantId: 'toko-pg', productId: 'SKU-KOPI', values: expect.any(Array) });
    expect((snapshots.find((e) => sumOf(e) === total)!.data as { values: number[] }).values).toHaveLength(28);
  });
});
