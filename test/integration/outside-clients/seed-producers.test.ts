import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { CloudEvent } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, type Host, type StokEvent } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';
import { request } from '../../support/http.ts';

/**
 * Producers that migrate to this runtime keep sending the seed's shapes. Here they do so from
 * outside: Python's pika, and Node with the official CloudEvents SDK over plain amqplib, onto the
 * seed's exchange; plus POST /events. Every event must reach the handler in the canonical shape
 * with its ids and the Indonesian context of its location (Makassar: WITA).
 */
const prefix = uniquePrefix('seed-producers');
const tenant = 'tenant-123';
let url: string;
let host: Host;
let port: number;
const seen = new Map<string, StokEvent>();
const updates = new Map<string, StokEvent>();

const plugin = definePlugin({
  name: 'seed-sink',
  version: '1.0.0',
  handlers: {
    levels: {
      subscribe: { routingKeys: ['inventory.stock.level.changed'] },
      handle(event) {
        seen.set(event.id, event);
      },
    },
    updates: {
      subscribe: { routingKeys: ['inventory.stock.update'] },
      handle(event) {
        updates.set(event.id, event);
      },
    },
  },
});

beforeAll(async () => {
  url = await getBrokerUrl();
  host = createHost({ broker: { url, prefix }, http: { port: 0 } }, { plugins: [plugin], logger: silentLogger });
  await host.start();
  port = host.httpAddress()!.port;
});

afterAll(async () => {
  await host?.stop();
  await deleteByPrefix(url, prefix);
});

const python = fileURLToPath(new URL('./seed_producer.py', import.meta.url));

function expectCanonical(event: StokEvent | undefined): void {
  expect(event?.data).toMatchObject({
    productData: { id: 'PROD-001' },
    locationData: { id: 'LOC-MKS', province: 'ID-SN' },
    stockMovement: { type: expect.any(String), quantity: expect.any(Number) },
    stockLevel: { previous: expect.any(Number), current: expect.any(Number) },
  });
  expect(event).toMatchObject({ tenantid: tenant, context: expect.objectContaining({ geographicContext: expect.objectContaining({ timeZone: 'WITA' }) }) });
}

describe('seed-shaped events from outside clients', () => {
  it('Python (pika): a CloudEvent, a seed-serialised event, a flat one and the direct message are all handled', async () => {
    const { stdout } = await promisify(execFile)('/usr/bin/python3', [python, url, prefix, tenant], { timeout: 30_000 });
    const sent = JSON.parse(stdout) as { form: string; id: string; type: string }[];
    expect(sent.map((s) => s.form)).toEqual(['cloudevent', 'seed-serialised', 'flat-v1', 'direct-message']);
    await waitFor(() => sent.every((s) => seen.has(s.id) || updates.has(s.id)), 15_000, 'all four handled');

    const [ce, seed, flat, update] = sent.map((s) => seen.get(s.id) ?? updates.get(s.id));
    expectCanonical(ce);
    expect(ce).toMatchObject({ userid: 'user-456', correlationid: 'corr-python-ce', data: { stockLevel: { current: 12 } } });
    expectCanonical(seed);
    expect(seed).toMatchObject({ specversion: '1.0', userid: 'user-456', correlationid: 'corr-python-seed', data: { stockMovement: { type: 'in', quantity: 20 } } });
    expect(seed!.data).not.toHaveProperty('eventId');
    expectCanonical(flat);
    expect(flat).toMatchObject({ dataschema: 'urn:stokcerdas:event:inventory.stock.level.changed:v2', data: { stockLevel: { previous: 32, current: 30 } } });
    expect(update).toMatchObject({ type: 'inventory.stock.update', data: { productId: 'PROD-001', newStock: 100, locationId: 'LOC-MKS' } });
    expect(host.stats().handlers.filter((h) => h.failures > 0)).toEqual([]);
  });

  it('Node with the official CloudEvents SDK over amqplib: the event is handled in the canonical shape', async () => {
    const event = new CloudEvent({
      type: 'inventory.stock.level.changed',
      source: 'urn:node:inventory-service',
      datacontenttype: 'application/json',
      tenantid: tenant,
      correlationid: 'corr-sdk',
      data: {
        productData: { id: 'PROD-001', sku: 'BRS-5', name: 'Beras 5kg' },
        locationData: { id: 'LOC-MKS', province: 'ID-SN' },
        stockMovement: { type: 'adjustment', quantity: 1 },
        stockLevel: { previous: 30, current: 31 },
      },
    });
    const connection = await amqp.connect(url);
    try {
      const channel = await connection.createConfirmChannel();
      channel.publish(`${prefix}.inventory.events`, event.type, Buffer.from(JSON.stringify(event.toJSON())), {
        contentType: 'application/cloudevents+json',
        persistent: true,
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    await waitFor(() => seen.has(event.id), 10_000, 'the SDK event');
    expectCanonical(seen.get(event.id));
    expect(seen.get(event.id)).toMatchObject({ correlationid: 'corr-sdk', source: 'urn:node:inventory-service' });
  });

  it('POST /events takes the seed-serialised event (202) and the handler sees it with its ids', async () => {
    const body = {
      eventId: 'seed-http-1',
      eventType: 'inventory.stock.level.changed',
      timestamp: new Date().toISOString(),
      tenantId: tenant,
      userId: 'user-456',
      correlationId: 'corr-http',
      productData: { id: 'PROD-001', sku: 'BRS-5', name: 'Beras 5kg' },
      locationData: { id: 'LOC-MKS', name: 'Gudang Makassar', province: 'ID-SN' },
      stockMovement: { type: 'sale', quantity: -1 },
      stockLevel: { previous: 31, current: 30 },
    };
    const res = await request(port, 'POST', '/events', { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(202);
    expect(res.json<{ ids: string[] }>().ids).toEqual(['seed-http-1']);
    await waitFor(() => seen.has('seed-http-1'), 10_000, 'the HTTP event');
    expectCanonical(seen.get('seed-http-1'));
    expect(seen.get('seed-http-1')).toMatchObject({ correlationid: 'corr-http', userid: 'user-456' });
  });

  it('POST /events answers 400 listing every problem of a seed event that fits no version', async () => {
    const body = { eventId: 'bad-1', eventType: 'inventory.stock.level.changed', productData: { id: 'PROD-001' }, stockLevel: { current: -1 } };
    const res = await request(port, 'POST', '/events', { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('data.locationData');
    expect(res.text).toContain('data.stockLevel.current');
  });
});
