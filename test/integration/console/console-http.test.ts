import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from 'stokcerdas';
import { CONTENT_SECURITY_POLICY } from '../../../runtime/http/console/index.ts';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { waitFor } from '../../support/broker.ts';
import { request } from '../../support/http.ts';
import { order, shopPlugin, type ShopState } from './shop-plugin.ts';

// The console's HTTP rules and API on the memory transport (the browser test covers RabbitMQ).
const TOKEN = 'console-http-test-token-1234';
const state: ShopState = { marketplaceDown: true, handled: [] };
const dlq = 'stokcerdas.shop.marketplace.dlq';
let open: Host;
let guarded: Host;

beforeAll(async () => {
  const config = (token?: string) => ({ http: { host: '127.0.0.1', port: 0, ...(token ? { token } : {}) }, retry: { maxAttempts: 2, delayMs: 20, multiplier: 1, maxDelayMs: 20 } });
  open = createHost(config(), { plugins: [shopPlugin(state)], logger: silentLogger });
  guarded = createHost(config(TOKEN), { plugins: [shopPlugin({ marketplaceDown: false, handled: [] })], logger: silentLogger });
  await Promise.all([open.start(), guarded.start()]);
});

afterAll(async () => {
  await Promise.all([open?.stop(), guarded?.stop()]);
});

const port = (h: Host) => h.httpAddress()!.port;
const json = { 'content-type': 'application/json' };

describe('the console on a loopback host without a token', () => {
  it('serves its pages open, under a CSP that allows only the host’s own scripts', async () => {
    const page = await request(port(open), 'GET', '/ui/dead-letters');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(page.text).toContain('<script type="module" src="/ui/assets/app.js">');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)|<script type="module">|\son\w+="/);
    const script = await request(port(open), 'GET', '/ui/assets/app.js');
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await request(port(open), 'GET', '/ui/assets/..%2fconsole.ts')).status).toBe(404);
    expect((await request(port(open), 'GET', '/ui/login', {})).status).toBe(303);
  });

  it('lists, pages and filters dead letters without consuming them, and replays a selection', async () => {
    const published = await open.publishMany(['A-1', 'A-2', 'slow-3'].map((id) => ({ type: 'orders.order.paid', data: order(id) })));
    await waitFor(async () => (await open.transport.queueInfo(dlq)).messages === 3, 5_000, 'three dead letters');
    const list = (await request(port(open), 'GET', '/ui/api/dlq')).json<Array<{ queue: string; messages: number }>>();
    expect(list.find((q) => q.queue === dlq)?.messages).toBe(3);

    const page = await request(port(open), 'GET', `/ui/api/dlq/letters?queue=${dlq}&reason=non-retryable&limit=1&offset=1`);
    const body = page.json<{ total: number; matched: number; letters: Array<{ key: string; reason: string; handler: string; originalRoutingKey: string; body: string }> }>();
    expect(body).toMatchObject({ total: 3, matched: 2 });
    expect(body.letters).toHaveLength(1);
    expect(body.letters[0]).toMatchObject({ reason: 'non-retryable', handler: 'shop/marketplace', originalRoutingKey: 'orders.order.paid' });
    expect((await open.transport.queueInfo(dlq)).messages).toBe(3);

    state.marketplaceDown = false;
    const chosen = body.letters[0]!;
    const job = await request(port(open), 'POST', '/ui/api/dlq/replay', { headers: json, body: JSON.stringify({ queue: dlq, keys: [chosen.key] }) });
    expect(job.status).toBe(202);
    const id = job.json<{ id: string }>().id;
    await waitFor(async () => (await request(port(open), 'GET', '/ui/api/jobs')).json<Array<{ id: string; state: string }>>().some((j) => j.id === id && j.state === 'done'), 5_000, 'replay done');
    const replayedId = (JSON.parse(chosen.body) as { id: string }).id;
    await waitFor(() => state.handled.some((h) => h.handler === 'marketplace' && h.id === replayedId), 5_000, 'replayed event handled');
    expect((await open.transport.queueInfo(dlq)).messages).toBe(2);
    expect(published.map((e) => e.id)).toContain(replayedId);
  });

  it('refuses bad selections with a clear message and never acts on a work queue', async () => {
    const work = await request(port(open), 'POST', '/ui/api/dlq/purge', { headers: json, body: JSON.stringify({ queue: 'stokcerdas.shop.marketplace', all: true }) });
    expect(work.status).toBe(400);
    expect(work.json<{ message: string }>().message).toContain("one of the topology's DLQs");
    const vague = await request(port(open), 'POST', '/ui/api/dlq/purge', { headers: json, body: JSON.stringify({ queue: dlq }) });
    expect([vague.status, vague.json<{ message: string }>().message]).toEqual([400, 'say what to act on: keys, reason/type, or all: true']);
    const reason = await request(port(open), 'GET', `/ui/api/dlq/letters?queue=${dlq}&reason=tired`);
    expect(reason.status).toBe(400);
    expect((await open.transport.queueInfo(dlq)).messages).toBe(2);
  });
});

describe('the console on a host with a token', () => {
  it('sends a browser to the sign-in form and an API client a 401', async () => {
    const page = await request(port(guarded), 'GET', '/ui');
    expect([page.status, page.headers.location]).toEqual([303, '/ui/login']);
    expect((await request(port(guarded), 'GET', '/ui/api/overview')).status).toBe(401);
    expect((await request(port(guarded), 'GET', '/ui/api/overview', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await request(port(guarded), 'GET', '/ui/api/overview', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('never takes the token from a URL', async () => {
    const answer = await request(port(guarded), 'GET', `/ui/api/overview?token=${TOKEN}`);
    expect(answer.status).toBe(400);
    expect(answer.json<{ message: string }>().message).toContain('never put the token in a URL');
  });

  it('signs in through the form with an HttpOnly, SameSite=Strict session cookie that sign-out ends', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await request(port(guarded), 'POST', '/ui/login', { headers: form, body: 'token=wrong' })).status).toBe(401);
    const ok = await request(port(guarded), 'POST', '/ui/login', { headers: form, body: `token=${encodeURIComponent(TOKEN)}` });
    expect([ok.status, ok.headers.location]).toEqual([303, '/ui']);
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toMatch(/^stokcerdas_console=[\w-]{43}; Path=\/ui; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    expect((await request(port(guarded), 'GET', '/ui/api/bindings', { headers: { cookie } })).status).toBe(200);
    // another site's page cannot act with the cookie: wrong origin, or not JSON
    const evil = await request(port(guarded), 'POST', '/ui/api/bindings/pause', { headers: { cookie, ...json, origin: 'http://evil.example' }, body: '{"key":"shop/orders"}' });
    expect(evil.status).toBe(403);
    const formPost = await request(port(guarded), 'POST', '/ui/api/bindings/pause', { headers: { cookie, ...form }, body: 'key=shop/orders' });
    expect(formPost.status).toBe(403);
    expect(guarded.resolve<{ isPaused(k: string): boolean }>('bindings').isPaused('shop/orders')).toBe(false);
    const out = await request(port(guarded), 'POST', '/ui/logout', { headers: { cookie } });
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await request(port(guarded), 'GET', '/ui/api/bindings', { headers: { cookie } })).status).toBe(401);
  });

  it('pauses and resumes a binding for a signed-in client', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, ...json };
    const paused = await request(port(guarded), 'POST', '/ui/api/bindings/pause', { headers: auth, body: '{"key":"shop/orders"}' });
    expect([paused.status, paused.json()]).toEqual([200, { key: 'shop/orders', paused: true }]);
    const unknown = await request(port(guarded), 'POST', '/ui/api/bindings/pause', { headers: auth, body: '{"key":"shop/nothing"}' });
    expect(unknown.status).toBe(404);
    const resumed = await request(port(guarded), 'POST', '/ui/api/bindings/resume', { headers: auth, body: '{"key":"shop/orders"}' });
    expect(resumed.json()).toEqual({ key: 'shop/orders', paused: false });
  });
});
