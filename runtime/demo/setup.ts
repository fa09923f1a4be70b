import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoTenants } from './traffic.ts';

export const DEMO_SECRET = 'demo-secret-0123456789';

export interface Receiver {
  url: string;
  count(): number;
  close(): Promise<void>;
}

/** The bundled plugins' options for the demo: two marketplaces and a notification webhook on this machine. */
export function demoConfig(urls: { market: string; flaky: string; hook: string }, shopee: { retry: object; breaker: object; rateLimit?: object }) {
  return {
    context: { tenants: Object.fromEntries(demoTenants.map((t) => [t.id, { province: t.province }])) },
    plugins: {
      options: {
        notifications: { channels: ['email', 'webhook'], channelsByKind: { 'stock-out': ['sms', 'push', 'webhook'] }, webhook: { url: urls.hook, secret: DEMO_SECRET } },
        'integration-sync': {
          targets: {
            tokopedia: { adapter: 'webhook', url: urls.market, secret: DEMO_SECRET, events: ['inventory.stock.level.changed', 'orders.order.*'], rateLimit: { perSecond: 50, burst: 100 } },
            shopee: { adapter: 'webhook', url: urls.flaky, secret: DEMO_SECRET, events: ['orders.order.*'], ...shopee },
          },
        },
      },
    },
  };
}

/** A local webhook receiver; `answer(n, body)` gives the HTTP status of the n-th request (1-based). */
export async function receiver(answer: (n: number, body: string) => number): Promise<Receiver> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      n++;
      res.writeHead(answer(n, Buffer.concat(chunks).toString('utf8')), { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, count: () => n, close: () => new Promise((r) => server.close(() => r())) };
}
