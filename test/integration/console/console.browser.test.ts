import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';
import { chromiumMissing, findChromium } from '../../support/chromium.ts';
import { order, orderIdOf, shopPlugin, type ShopState } from './shop-plugin.ts';

// The operator's console in a real headless Chromium against a host on RabbitMQ. The screenshots
// it takes are the ones the README shows.
const SHOTS = resolve(import.meta.dirname, '../../../docs/screenshots');
const TOKEN = 'console-browser-test-token-7f3a9c';
const prefix = uniquePrefix('ui');
const dlq = `${prefix}.shop.marketplace.dlq`;
const state: ShopState = { marketplaceDown: false, handled: [] };
const skip = chromiumMissing();
// the suite runs beside the others on two cores: a page can take seconds to follow
// generous: the main pass runs files in parallel on 2 cores, where a replay round trip has taken over 15 s
const SLOW = { timeout: 45_000 };

let url: string;
let host: Host;
let base: string;
let browser: Browser;
let page: Page;
let traffic: NodeJS.Timeout | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (skip) return;
  url = await getBrokerUrl();
  host = createHost(
    { broker: { url, prefix }, http: { host: '127.0.0.1', port: 0, token: TOKEN }, retry: { maxAttempts: 2, delayMs: 100, multiplier: 1, maxDelayMs: 100 } },
    { plugins: [shopPlugin(state)], logger: silentLogger },
  );
  await host.start();
  const address = host.httpAddress()!;
  base = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // a 401 while signing in is logged by Chromium as a failed resource: expected, not a page error
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  await mkdir(SHOTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  clearInterval(traffic);
  await browser?.close();
  await host?.stop();
  if (url) await deleteByPrefix(url, prefix);
});

function startTraffic(): void {
  let n = 0;
  traffic = setInterval(() => {
    const batch = Array.from({ length: 10 }, () => ({ type: 'orders.order.created', data: order(`O-${++n}`), options: { tenantId: 'toko-jakarta' } }));
    host.publishMany(batch).catch(() => undefined);
  }, 200);
}
async function jobState(id: string): Promise<string | undefined> {
  const res = await fetch(`${base}/ui/api/jobs`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const jobs = (await res.json()) as Array<{ id: string; state: string }>;
  return jobs.find((j) => j.id === id)?.state;
}
const cell = (key: string, col: string) => page.locator(`tr[data-key="${key}"] td[data-col="${col}"]`);
const count = async (key: string, col: string) => Number((await cell(key, col).innerText()).replace(/[^0-9]/g, '') || '0');

describe.skipIf(skip !== undefined)('the console in headless Chromium, on RabbitMQ', () => {
  it('asks for the token in a form, never in the URL, and keeps it in an HttpOnly cookie', async () => {
    await page.goto(`${base}/ui`);
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await page.fill('#token', 'wrong-token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('.error').innerText(), SLOW).toContain('not this host');
    await page.screenshot({ path: `${SHOTS}/login.png` });
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/ui`);
    expect(page.url()).not.toContain(TOKEN);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'stokcerdas_console', httpOnly: true, sameSite: 'Strict', path: '/ui' });
    expect(cookie!.value).not.toContain(TOKEN);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await expect.poll(() => page.locator('[data-test=connection]').innerText(), SLOW).toContain('connected · ready');
  }, 180_000);

  it('shows a binding’s counters move while events flow, and the overview charts them', async () => {
    startTraffic();
    await page.click('nav a[data-page=bindings]');
    await page.waitForSelector('tr[data-key="shop/orders"]');
    await expect.poll(() => count('shop/orders', 'consumed'), { timeout: 45_000 }).toBeGreaterThan(0);
    const first = await count('shop/orders', 'consumed');
    // the page is not reloaded: the numbers arrive over Server-Sent Events
    await expect.poll(() => count('shop/orders', 'consumed'), { timeout: 45_000 }).toBeGreaterThan(first + 20);
    await expect.poll(async () => Number(await cell('shop/orders', 'rate').innerText()), { timeout: 45_000 }).toBeGreaterThan(0);
    expect(await cell('shop/orders', 'queue').innerText()).toBe(`${prefix}.shop.orders`);
    expect(await cell('shop/marketplace', 'tiers').innerText()).toContain(': 0');

    await page.click('nav a[data-page=overview]');
    await expect.poll(async () => Number(await page.locator('.chart-card').first().getAttribute('data-value')), { timeout: 45_000 }).toBeGreaterThan(0);
  }, 180_000);

  it('finds a dead letter by its reason, replays it with two clicks, and it is handled', async () => {
    state.marketplaceDown = true;
    const paid = ['P-100', 'P-101', 'P-102', 'P-slow-1', 'P-slow-2'];
    const events = await host.publishMany(paid.map((id) => ({ type: 'orders.order.paid', data: order(id), options: { tenantId: 'toko-bali' } })));
    await waitFor(async () => (await host.transport.queueInfo(dlq)).messages === 5, 45_000, 'five dead letters');

    await page.click('nav a[data-page=bindings]');
    await expect.poll(() => page.locator('tr[data-key="shop/marketplace"] td[data-col="dlq"]').innerText(), { timeout: 45_000 }).toBe('5');
    await page.screenshot({ path: `${SHOTS}/bindings.png`, fullPage: true });

    await page.click('tr[data-key="shop/marketplace"] td[data-col="dlq"] a');
    await page.waitForSelector(`tr[data-reason]`);
    await page.selectOption('select[name=reason]', 'non-retryable');
    await expect.poll(() => page.locator('tr[data-reason]').count(), SLOW).toBe(3);
    expect(await page.locator('tr[data-reason="non-retryable"]').count()).toBe(3);
    const row = page.locator('tr[data-reason]', { hasText: 'P-101' });
    await row.locator('button[data-action=show-body]').click();
    await page.screenshot({ path: `${SHOTS}/dead-letters.png`, fullPage: true });

    state.marketplaceDown = false;
    // The replay's answer is held back until its job is done: on a busy machine the stream's "done"
    // overtakes the POST's "running", and the page must keep the newer of the two.
    await page.route('**/ui/api/dlq/replay', async (route) => {
      const answer = await route.fetch();
      const job = (await answer.json()) as { id: string };
      await waitFor(async () => (await jobState(job.id)) === 'done', 45_000, 'the replay job done');
      await route.fulfill({ response: answer });
    });
    await row.locator('button[data-action=replay-one]').click(); // first click
    await page.click('dialog button[data-action=confirm]'); // second click
    await page.waitForSelector('.job[data-state=done]', { timeout: 45_000 });
    expect(await page.locator('.job [data-test=job-text]').first().innerText()).toContain('1 replayed');
    const replayed = events.find((e) => orderIdOf(e.data) === 'P-101')!;
    await waitFor(() => state.handled.some((h) => h.handler === 'marketplace' && h.id === replayed.id), 45_000, 'the replayed order handled');
    await expect.poll(() => page.locator('tr[data-reason]').count(), { timeout: 45_000 }).toBe(2);
    expect(await page.locator('tr[data-reason]', { hasText: 'P-101' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/dead-letters-replayed.png`, fullPage: true });

    // the other reason is purged as a selection, after its own confirmation
    await page.selectOption('select[name=reason]', 'retries-exhausted');
    await expect.poll(() => page.locator('tr[data-reason="retries-exhausted"]').count(), SLOW).toBe(2);
    await page.click('button[data-action=purge-matching]');
    await page.click('dialog button[data-action=confirm]');
    await expect.poll(() => page.locator('tr[data-reason]').count(), { timeout: 45_000 }).toBe(0);
    await waitFor(async () => (await host.transport.queueInfo(dlq)).messages === 2, 45_000, 'two non-retryable dead letters left');

    await page.click('nav a[data-page=bindings]');
    await expect.poll(() => page.locator('tr[data-key="shop/marketplace"] td[data-col="dlq"]').innerText(), { timeout: 45_000 }).toBe('2');
  }, 240_000);

  it('pauses and resumes a binding through the pause service', async () => {
    await page.click('tr[data-key="shop/orders"] button');
    await expect.poll(() => page.locator('tr[data-key="shop/orders"].paused').count(), { timeout: 45_000 }).toBe(1);
    expect(host.resolve<{ isPaused(k: string): boolean }>('bindings').isPaused('shop/orders')).toBe(true);
    await page.click('tr[data-key="shop/orders"] button');
    await expect.poll(() => page.locator('tr[data-key="shop/orders"].paused').count(), { timeout: 45_000 }).toBe(0);

    // by now the charts hold a minute of traffic, the dead letters and the replay
    await page.click('nav a[data-page=overview]');
    await page.waitForTimeout(3_000);
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
