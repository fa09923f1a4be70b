import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHost, definePlugin, type Host, type StokcerdasConfigInput } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { request } from '../../support/http.ts';

const stock = { productData: { id: 'SKU-1' }, locationData: { id: 'WH-1' }, stockMovement: { type: 'sale', quantity: -5 }, stockLevel: { previous: 9, current: 4 } };
/** the same change as a version 1 (flat) payload: still accepted, upcast */
const legacyStock = { productId: 'SKU-1', locationId: 'WH-1', previousLevel: 9, newLevel: 4, quantityChanged: -5 };

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

let hosts: Host[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  hosts = [];
});

function recorder(options: { setupGate?: Promise<void>; handleGate?: Promise<void> } = {}) {
  const handled: Array<{ id: string; type: string; tenant?: string; data: unknown }> = [];
  const plugin = definePlugin({
    name: 'recorder',
    version: '1.0.0',
    async setup() {
      await options.setupGate;
    },
    options: z.object({ apiKey: z.string().optional() }),
    handlers: {
      stock: {
        subscribe: { routingKeys: ['inventory.stock.level.changed'] },
        retry: { maxAttempts: 1, delayMs: 0 },
        async handle(event) {
          await options.handleGate;
          handled.push({ id: event.id, type: event.type, tenant: event.tenantid, data: event.data });
        },
      },
      orders: {
        subscribe: { routingKeys: ['orders.#'] },
        async handle(event) {
          handled.push({ id: event.id, type: event.type, tenant: event.tenantid, data: event.data });
        },
      },
    },
  });
  return { plugin, handled };
}

function makeHost(http: StokcerdasConfigInput['http'], plugins = [recorder().plugin], extra: StokcerdasConfigInput = {}): Host {
  const host = createHost({ transport: 'memory', http: { port: 0, ...http }, ...extra }, { plugins, logger: silentLogger });
  hosts.push(host);
  return host;
}

async function started(http: StokcerdasConfigInput['http'] = {}, plugins?: Parameters<typeof makeHost>[1], extra?: StokcerdasConfigInput) {
  const host = makeHost(http, plugins, extra);
  await host.start();
  return { host, port: host.httpAddress()!.port };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const post = (port: number, body: unknown, headers: Record<string, string> = {}) =>
  request(port, 'POST', '/events', { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe('HTTP surface over real HTTP (memory transport)', () => {
  it('answers /healthz with the event-loop delay', async () => {
    const { port } = await started();
    const res = await request(port, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', eventLoopDelayMs: { p99Ms: expect.any(Number), maxMs: expect.any(Number) } });
  });

  it('/readyz is 503 while starting, 200 once every binding consumes, 503 while draining', async () => {
    const setup = gate();
    const handling = gate();
    const rec = recorder({ setupGate: setup.opened, handleGate: handling.opened });
    const host = makeHost({}, [rec.plugin]);
    const starting = host.start();
    await until(() => host.httpAddress() !== undefined);
    const port = host.httpAddress()!.port;

    const early = await request(port, 'GET', '/readyz');
    expect(early.status).toBe(503);
    expect(early.json()).toMatchObject({ ready: false, status: 'starting' });
    expect((await post(port, { type: 'inventory.stock.level.changed', data: stock })).status).toBe(503);

    setup.open();
    await starting;
    expect((await request(port, 'GET', '/readyz')).json()).toMatchObject({ ready: true, status: 'ready', connected: true });

    // one delivery held in its handler keeps the drain going
    expect((await post(port, { type: 'inventory.stock.level.changed', data: stock })).status).toBe(202);
    const stopping = host.stop();
    const draining = await request(port, 'GET', '/readyz');
    expect(draining.status).toBe(503);
    expect(draining.json()).toMatchObject({ status: 'draining' });
    const refused = await post(port, { type: 'inventory.stock.level.changed', data: stock });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    handling.open();
    await stopping;
    expect(rec.handled).toHaveLength(1);
    await expect(request(port, 'GET', '/readyz')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('serves Prometheus metrics from the host registry', async () => {
    const { port } = await started();
    expect((await post(port, { type: 'inventory.stock.level.changed', data: stock })).status).toBe(202);
    const res = await request(port, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'stokcerdas_publishes_total{kind="event",outcome="confirmed"} 1',
      'stokcerdas_publish_confirm_duration_seconds_bucket',
      'stokcerdas_broker_reconnects_total',
      'stokcerdas_publish_buffer_depth',
      'stokcerdas_event_loop_delay_seconds{quantile="0.99"}',
      'stokcerdas_worker_pool_queue_depth',
      'stokcerdas_worker_pool_utilization_ratio',
    ]) {
      expect(res.text).toContain(name);
    }
  });

  it('/stats has the seed stats and the config with every secret masked', async () => {
    const { port } = await started({ token: 'tok-very-secret' }, undefined, {
      dedupe: { maxEntries: 10 },
      broker: { url: 'amqp://admin:broker-pw-123@mq.example:5672' },
      transport: 'memory',
      plugins: { options: { recorder: { apiKey: 'plugin-key-456' } } },
    });
    const res = await request(port, 'GET', '/stats', { headers: { authorization: 'Bearer tok-very-secret' } });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['subscriptions', 'batches', 'connection', 'handlers', 'config']));
    expect(body.subscriptions[0]).toMatchObject({ handler: 'recorder/stock' });
    for (const secret of ['tok-very-secret', 'broker-pw-123', 'plugin-key-456']) expect(res.text).not.toContain(secret);
    expect(body.config.http.token).toBe('***');
  });

  it('POST /events takes one plain event or an array of CloudEvents and plain events, 202 with ids after the confirm', async () => {
    const rec = recorder();
    const { port } = await started({}, [rec.plugin]);
    const one = await post(port, { type: 'inventory.stock.level.changed', data: stock, tenantId: 't-1' });
    expect(one.status).toBe(202);
    expect(one.json()).toMatchObject({ accepted: 1, ids: [expect.any(String)] });

    const cloudEvent = {
      specversion: '1.0', id: 'ce-fixed-id-1', source: 'urn:test', type: 'orders.order.created', time: '2026-01-05T03:00:00Z',
      datacontenttype: 'application/json', data: { orderData: { id: 'O-1' } }, tenantid: 't-2', correlationid: 'corr-9',
    };
    const many = await post(port, [cloudEvent, { type: 'inventory.stock.level.changed', data: stock }], { 'content-type': 'application/cloudevents-batch+json' });
    expect(many.status).toBe(202);
    expect(many.json().ids).toHaveLength(2);
    expect(many.json().ids[0]).toBe('ce-fixed-id-1');
    await until(() => rec.handled.length === 3);
    expect(rec.handled.find((h) => h.id === 'ce-fixed-id-1')).toMatchObject({ type: 'orders.order.created', tenant: 't-2', data: { orderData: { id: 'O-1' } } });
    expect(rec.handled.find((h) => h.id === one.json().ids[0])).toMatchObject({ tenant: 't-1' });
  });

  it('accepts a legacy flat (version 1) payload with 202 and delivers it upcast', async () => {
    const rec = recorder();
    const { port } = await started({}, [rec.plugin]);
    const res = await post(port, { type: 'inventory.stock.level.changed', data: legacyStock, tenantId: 't-1' });
    expect(res.status).toBe(202);
    await until(() => rec.handled.length === 1);
    expect(rec.handled[0]).toMatchObject({
      id: res.json().ids[0],
      tenant: 't-1',
      // without a movementType the upcaster names the movement by its sign
      data: { productData: { id: 'SKU-1' }, locationData: { id: 'WH-1' }, stockMovement: { type: 'out', quantity: -5 }, stockLevel: { previous: 9, current: 4 } },
    });
  });

  it('answers 400 listing every problem, and publishes nothing from a bad batch', async () => {
    const rec = recorder();
    const { port } = await started({}, [rec.plugin]);
    const notJson = await post(port, '{"type": ');
    expect(notJson.status).toBe(400);
    expect(notJson.json().problems[0]).toMatch(/^body: not JSON/);

    expect((await post(port, [])).json().problems).toEqual(['body: an empty array has no event to publish']);
    expect((await post(port, 42)).json().problems).toEqual(['body: must be an event object (got number)']);

    const shape = await post(port, [
      { type: 'inventory.stock.level.changed', data: stock },
      { data: stock, tenantID: 'typo' },
      { specversion: '0.3', id: '', source: 's', type: 'orders.order.created', data: {}, weird_ext: 1 },
    ]);
    expect(shape.status).toBe(400);
    expect(shape.json().problems).toEqual([
      expect.stringMatching(/^\[1\]\.type: must be a non-empty string/),
      expect.stringMatching(/^\[1\]\.tenantID: unknown field/),
      expect.stringMatching(/^\[2\]\.specversion: must be "1.0"/),
      '[2].id: must be a non-empty string',
      expect.stringMatching(/^\[2\]\.weird_ext: is not accepted here/),
    ]);

    // well-formed, but the payloads fail their schemas / the type has no exchange: every one named
    const schema = await post(port, [
      { type: 'inventory.stock.level.changed', data: stock },
      { type: 'orders.order.created', data: { orderData: { id: '' } } },
      { type: 'nowhere.thing.happened', data: {} },
    ]);
    expect(schema.status).toBe(400);
    const problems = schema.json().problems as string[];
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^\[1\]: cannot publish orders\.order\.created: .*orderData\.id/);
    expect(problems[1]).toMatch(/^\[2\]: cannot publish nowhere\.thing\.happened: its domain has no exchange/);

    const single = await post(port, { type: 'orders.order.created', data: { orderData: { id: '' } } });
    expect(single.status).toBe(400);
    expect(single.json().problems[0]).toMatch(/^cannot publish orders\.order\.created/);

    expect((await request(port, 'POST', '/events', { body: '{}', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.handled).toEqual([]);
  });

  it('answers 413 over the body limit, by Content-Length or counted on a chunked body', async () => {
    const { port } = await started({ bodyLimitBytes: 1_024 });
    const big = JSON.stringify({ type: 'inventory.stock.level.changed', data: { ...stock, note: 'x'.repeat(200_000) } });
    const declared = await request(port, 'POST', '/events', { body: big, headers: { 'content-type': 'application/json' } });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ error: 'body-too-large' });
    const chunked = await request(port, 'POST', '/events', { body: big, chunked: true, headers: { 'content-type': 'application/json' } });
    expect(chunked.status).toBe(413);
    // the server is still fine afterwards
    expect((await post(port, { type: 'inventory.stock.level.changed', data: stock })).status).toBe(202);
  });

  it('requires the bearer token when one is set; the probes stay open', async () => {
    const { port } = await started({ token: 's3cret-token' });
    const missing = await post(port, { type: 'inventory.stock.level.changed', data: stock });
    expect(missing.status).toBe(401);
    expect(missing.json()).toMatchObject({ error: 'token-missing' });
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await post(port, { type: 'inventory.stock.level.changed', data: stock }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'token-invalid' });
    expect((await request(port, 'GET', '/metrics')).status).toBe(401);
    expect((await request(port, 'GET', '/stats')).status).toBe(401);
    expect((await request(port, 'GET', '/healthz')).status).toBe(200);
    expect((await request(port, 'GET', '/readyz')).status).toBe(200);
    const right = await post(port, { type: 'inventory.stock.level.changed', data: stock }, { authorization: 'Bearer s3cret-token' });
    expect(right.status).toBe(202);
  });

  it('refuses to listen beyond loopback without a token (CONFIG_INVALID), and with one requires it', async () => {
    expect(() => makeHost({ host: '0.0.0.0' })).toThrow(expect.objectContaining({ code: 'STOKCERDAS_CONFIG_INVALID', message: expect.stringContaining('http.token') }));
    expect(() => makeHost({ host: '::', token: '  ' })).toThrow(/http\.token: required/);
    const { port } = await started({ host: '0.0.0.0', token: 'wide-open-no-more' });
    expect((await request(port, 'GET', '/stats')).status).toBe(401);
    expect((await request(port, 'GET', '/stats', { headers: { authorization: 'Bearer wide-open-no-more' } })).status).toBe(200);
  });

  it('answers 404 and 405 with what exists', async () => {
    const { port } = await started();
    expect((await request(port, 'GET', '/nope')).status).toBe(404);
    const wrong = await request(port, 'GET', '/events');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });

  it('fails to start with a coded error when the port is taken', async () => {
    const { port } = await started();
    const second = makeHost({ port });
    await expect(second.start()).rejects.toMatchObject({ code: 'STOKCERDAS_HTTP_LISTEN_FAILED' });
  });
});
