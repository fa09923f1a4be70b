import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from 'stokcerdas';
import integrationSync from '../../../plugins/integration-sync/index.ts';
import type { IntegrationSync } from '../../../plugins/integration-sync/target.ts';
import { verify } from 'stokcerdas/webhooks';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

/**
 * integration-sync on the real RabbitMQ against four local sales channels: one healthy, one that
 * fails for a while, one that stalls, one that enforces its own rate limit. Nothing may be lost,
 * no target hammered, and the others must not notice.
 */
const secret = 'sync-secret-0123456789';
const N = 20;

interface Target {
  server: Server;
  url: string;
  /** every request: when, its key, the status answered (0: never answered) */
  requests: { at: number; key: string; status: number }[];
  delivered: Set<string>;
}

let url: string;
const prefixes: string[] = [];
const targets: Record<string, Target> = {};

async function serve(name: string, answer: (t: Target, req: IncomingMessage, res: ServerResponse) => number | undefined): Promise<void> {
  const t: Target = { server: undefined as unknown as Server, url: '', requests: [], delivered: new Set() };
  t.server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    const headers = { signature: req.headers['x-stokcerdas-signature'] as string, timestamp: req.headers['x-stokcerdas-timestamp'] as string };
    const key = req.headers['idempotency-key'] as string;
    if (!verify(secret, headers, raw, Math.floor(Date.now() / 1000)) || JSON.parse(raw).id !== key) {
      res.writeHead(401).end('bad signature');
      return;
    }
    const entry = { at: Date.now(), key, status: 0 };
    t.requests.push(entry);
    const status = answer(t, req, res);
    if (status === undefined) return; // stalls: never answers
    entry.status = status;
    if (status === 200) t.delivered.add(key);
    if (status === 429) res.writeHead(429, { 'retry-after': '1' }).end();
    else res.writeHead(status).end();
  });
  await new Promise<void>((r) => t.server.listen(0, '127.0.0.1', r));
  t.url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}/sync`;
  targets[name] = t;
}

let failUntil = 0;
beforeAll(async () => {
  url = await getBrokerUrl();
  await serve('steady', () => 200);
  await serve('flaky', () => (Date.now() < failUntil ? 503 : 200));
  await serve('stall', (t) => (t.requests.length <= 2 ? undefined : 200));
  // at most 5 requests in any second, else 429: the plugin's bucket (4/s) must never trip it
  await serve('limited', (t) => (t.requests.filter((r) => r.at > Date.now() - 1000).length > 5 ? 429 : 200));
});
afterAll(async () => {
  for (const t of Object.values(targets)) {
    t.server.closeAllConnections();
    t.server.close();
  }
  for (const p of prefixes) await deleteByPrefix(url, p);
});

const retry = { maxAttempts: 30, delayMs: 200, multiplier: 2, maxDelayMs: 1000 };
const breaker = { failureThreshold: 3, cooldownMs: 700, maxCooldownMs: 1400 };

describe('integration-sync on RabbitMQ', () => {
  it('delivers every change to every target while one fails, one stalls and one rate-limits', async () => {
    const prefix = uniquePrefix('sync');
    prefixes.push(prefix);
    const target = (name: string, extra: Record<string, unknown> = {}) => ({ url: targets[name]!.url, secret, retry, breaker, timeoutMs: 1000, ...extra });
    const host: Host = createHost(
      {
        broker: { url, prefix },
        http: { enabled: true, port: 0 },
        plugins: {
          options: {
            'integration-sync': {
              targets: {
                steady: target('steady', { rateLimit: { perSecond: 50, burst: 50 } }),
                flaky: target('flaky', { rateLimit: { perSecond: 50, burst: 50 } }),
                stall: target('stall', { timeoutMs: 300, breaker: { ...breaker, failureThreshold: 2 }, rateLimit: { perSecond: 50, burst: 50 } }),
                limited: target('limited', { rateLimit: { perSecond: 4, burst: 1 } }),
              },
            },
          },
        },
      },
      { plugins: [integrationSync], logger: silentLogger },
    );
    await host.start();
    try {
      failUntil = Date.now() + 1500;
      const ids: string[] = [];
      for (let i = 0; i < N; i++) {
        const e = await host.publish(
          'inventory.stock.level.changed',
          { productData: { id: `SKU-${i}` }, locationData: { id: 'GUDANG-1' }, stockMovement: { type: 'sale', quantity: -1 }, stockLevel: { previous: 10, current: 9 } },
          { tenantId: 't1' },
        );
        ids.push(e.id);
      }

      // while flaky is switched off its requests wait in its own queue, with no consumer
      let sawPausedInBroker = false;
      const flakyQueue = `${prefix}.integration.sync.flaky`;
      await waitFor(
        async () => {
          const info = await host.transport.queueInfo(flakyQueue);
          if (info.consumers === 0 && info.messages > 0) sawPausedInBroker = true;
          return Object.values(targets).every((t) => t.delivered.size === N);
        },
        30_000,
        'every target to receive every change',
      );

      for (const [name, t] of Object.entries(targets)) expect([name, [...t.delivered].sort()]).toEqual([name, [...ids].sort()]);
      expect(sawPausedInBroker).toBe(true);

      const sync = host.resolve<IntegrationSync>('integration-sync');
      const status = Object.fromEntries(sync.status().map((s) => [s.name, s]));
      // not hammered: a switched-off target sees the threshold, then one probe per cooldown
      const failures = (name: string) => targets[name]!.requests.filter((r) => r.status !== 200).length;
      expect(failures('flaky')).toBeLessThanOrEqual(breaker.failureThreshold + status.flaky!.opens);
      expect(failures('stall')).toBe(2);
      expect(status.stall!.opens).toBe(1);
      expect(targets.steady!.requests).toHaveLength(N);
      expect(targets.limited!.requests.filter((r) => r.status === 429)).toEqual([]);
      // the limited target's requests are spaced by the bucket: 20 at 4/s take ≥ 4.5 s
      const lim = targets.limited!.requests;
      expect(lim.at(-1)!.at - lim[0]!.at).toBeGreaterThanOrEqual(4_500);

      // results in host.stats() and on /stats
      const subs = Object.fromEntries(host.stats().subscriptions.map((s) => [s.handler, s]));
      expect(subs['integration-sync/to-steady']).toMatchObject({ succeeded: N, failed: 0, deadLettered: 0 });
      expect(subs['integration-sync/to-flaky']).toMatchObject({ succeeded: N, deadLettered: 0 });
      expect(subs['integration-sync/to-flaky']!.retried).toBeGreaterThanOrEqual(3);
      expect(subs['integration-sync/to-flaky']!.paused).toBeUndefined();
      expect(subs['integration-sync/to-stall']).toMatchObject({ succeeded: N, failed: 2 });
      const address = host.httpAddress?.();
      if (address) {
        const body = (await (await fetch(`http://${address.host}:${address.port}/stats`)).json()) as { subscriptions: { handler: string; succeeded: number }[] };
        expect(body.subscriptions.find((s) => s.handler === 'integration-sync/to-flaky')).toMatchObject({ succeeded: N });
      }
      for (const name of Object.keys(targets)) {
        expect((await host.transport.queueInfo(`${prefix}.integration.sync.${name}.dlq`)).messages).toBe(0);
      }
    } finally {
      await host.stop();
    }
  });
});
