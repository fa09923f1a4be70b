import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../support/logs.ts';
import { createHost, definePlugin } from 'stokcerdas';

/** Every log line about a delivery names the event, its type, tenant, correlation id and handler. */

describe('delivery log lines', () => {
  it('carry event id, type, tenant, correlation id and handler: handler logs, retries and dead letters', async () => {
    const { lines, logger } = captureLogs();
    const plugin = definePlugin({
      name: 'noisy',
      version: '1.0.0',
      handlers: {
        fails: {
          subscribe: { routingKeys: ['orders.order.paid'] },
          retry: { maxAttempts: 2, delayMs: 10 },
          handle(event, ctx) {
            ctx.logger.info({ orderId: event.data.orderData.id }, 'working on it');
            throw new Error('payment gateway down');
          },
        },
      },
    });
    const host = createHost({ transport: 'memory', http: { enabled: false } }, { plugins: [plugin], logger });
    await host.start();
    try {
      const event = await host.publish('orders.order.paid', { orderData: { id: 'O-7' } }, { tenantId: 'toko-7', correlationId: 'corr-7' });
      const deadline = Date.now() + 5_000;
      while (!lines.some((l) => l.msg === 'delivery dead-lettered') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const about = lines.filter((l) => l.eventId !== undefined);
      expect(about.map((l) => l.msg)).toEqual(['working on it', 'handler failed; retry scheduled', 'working on it', 'delivery dead-lettered']);
      for (const line of about) {
        expect(line).toMatchObject({ eventId: event.id, type: 'orders.order.paid', tenant: 'toko-7', correlationId: 'corr-7', handler: 'noisy/fails' });
      }
    } finally {
      await host.stop();
    }
  });
});
