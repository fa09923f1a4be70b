/**
 * Worker-mode handlers on real RabbitMQ: emitted events are confirmed by the broker, a crashed
 * thread's delivery waits in the broker's retry queue and succeeds on a new thread, a throw ends
 * in the DLQ with its headers. Names live under a unique `broker.prefix`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host, type StokEvent } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import type { HeaderValue } from '../../../runtime/transport/contract.ts';
import basics from '../../fixtures/worker-plugins/basics.ts';
import { faults } from '../../fixtures/worker-plugins/faults.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

const prefix = uniquePrefix('workers');
let url: string;
let host: Host;
const published: StokEvent[] = [];
const deadLettered: { queue: string; headers: Record<string, HeaderValue> }[] = [];
const ofType = (type: string) => published.filter((e) => e.type === type);

beforeAll(async () => {
  url = await getBrokerUrl();
  host = createHost(
    {
      transport: 'amqp',
      broker: { url, prefix, connectionName: prefix },
      http: { enabled: false },
      workers: { minThreads: 2, maxThreads: 2 },
      // short retry tiers: the broker holds each wait in a TTL queue
      bindings: {
        'worker-basics/throws': { retry: { maxAttempts: 2, delayMs: 50 } },
        'worker-faults/exits': { retry: { maxAttempts: 3, delayMs: 50 } },
      },
    },
    {
      plugins: [basics, faults],
      logger: silentLogger,
      hooks: {
        published: (e) => published.push(e),
        deadLettered: (info) => deadLettered.push({ queue: info.queue, headers: info.headers }),
      },
    },
  );
  await host.start();
}, 60_000);

afterAll(async () => {
  await host?.stop();
  if (url) await deleteByPrefix(url, prefix);
}, 60_000);

describe('worker handlers on RabbitMQ (real broker)', () => {
  it('publishes what a worker handler emitted, caused by the event', async () => {
    const event = await host.publish('inventory.worker.check', { sku: 'AMQP-1', qty: 4 });
    await waitFor(() => ofType('analytics.stock.checked').length === 1, 15_000, 'worker publish confirmed');
    expect(ofType('analytics.stock.checked')[0]).toMatchObject({ causationid: event.id, data: { sku: 'AMQP-1', mainThread: false } });
  });

  it('retries a crashed thread’s delivery through the broker’s wait queue until it succeeds', async () => {
    await host.publish('analytics.fault.exit', { attempts: 2 });
    await waitFor(() => ofType('analytics.fault.survived').length === 1, 20_000, 'crashed delivery retried');
    expect(ofType('analytics.fault.survived')[0]!.data).toEqual({ attempt: 2 });
  });

  it('dead-letters a worker handler that keeps throwing, with the worker’s error in the headers', async () => {
    await host.publish('customers.customer.flaky', {});
    await waitFor(() => deadLettered.length === 1, 20_000, 'dead-lettered');
    expect(deadLettered[0]).toMatchObject({
      queue: `${prefix}.worker-basics.throws`,
      headers: { 'x-death-reason': 'retries-exhausted', 'x-attempts': 2, 'x-error-type': 'RangeError', 'x-error-message': 'sku out of range' },
    });
    expect(ofType('analytics.never.sent')).toEqual([]);
  });
});
