import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, type Host } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { closeConnectionNamed, deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';
import { request } from '../../support/http.ts';

/** The HTTP surface of a host on the real RabbitMQ: ingest confirmed by the broker, /readyz through a disconnect. */
const prefix = uniquePrefix('http-amqp');
let url: string;
let host: Host;
let port: number;
const handled: string[] = [];

const plugin = definePlugin({
  name: 'sink',
  version: '1.0.0',
  handlers: { orders: { subscribe: { routingKeys: ['orders.#'] }, handle: (event) => void handled.push(event.id) } },
});

beforeAll(async () => {
  url = await getBrokerUrl();
  host = createHost(
    { broker: { url, prefix, connectionName: prefix, reconnect: { initialDelayMs: 1_000, maxDelayMs: 2_000 } }, http: { port: 0 } },
    { plugins: [plugin], logger: silentLogger },
  );
  await host.start();
  port = host.httpAddress()!.port;
});

afterAll(async () => {
  await host?.stop();
  await deleteByPrefix(url, prefix);
});

describe('HTTP surface on RabbitMQ', () => {
  it('POST /events answers 202 after the broker confirmed, and the events are delivered', async () => {
    const body = JSON.stringify([
      { type: 'orders.order.created', data: { orderData: { id: 'O-1' } }, tenantId: 't1' },
      { type: 'orders.order.paid', data: { orderData: { id: 'O-1', totalAmount: 150000 } } },
    ]);
    const res = await request(port, 'POST', '/events', { body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(202);
    const { ids } = res.json<{ ids: string[] }>();
    await waitFor(() => ids.every((id) => handled.includes(id)), 10_000, 'both delivered');
    const metrics = (await request(port, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/stokcerdas_publishes_total\{kind="event",outcome="confirmed"\} 2/);
    expect(metrics).toMatch(/stokcerdas_deliveries_total\{queue="[^"]+sink\.orders",settlement="ack"\} 2/);
    expect(metrics).toContain('stokcerdas_broker_connected 1');
  });

  it('/readyz goes 503 "disconnected" when the connection drops and 200 again once consumers are back', async () => {
    expect((await request(port, 'GET', '/readyz')).status).toBe(200);
    const statuses = new Set<string>();
    expect(await closeConnectionNamed(prefix, 'readyz test')).toBeGreaterThan(0);
    await waitFor(async () => {
      const r = await request(port, 'GET', '/readyz');
      statuses.add(r.json<{ status: string }>().status);
      return r.status === 503;
    }, 10_000, '/readyz 503');
    await waitFor(async () => (await request(port, 'GET', '/readyz')).status === 200, 20_000, '/readyz 200 again');
    expect(statuses).toContain('disconnected');
    // /healthz never cared: the process was fine all along
    expect((await request(port, 'GET', '/healthz')).status).toBe(200);
    const metrics = (await request(port, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/stokcerdas_broker_reconnects_total 1/);
  });
});
