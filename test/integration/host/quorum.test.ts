import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, type Host } from 'stokcerdas';
import { peekDeadLetters } from '../../../runtime/dlq/index.ts';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, rabbitmqctl, uniquePrefix, waitFor } from '../../support/broker.ts';

/** `broker.queueType: 'quorum'` on the real broker: the whole topology, retries and dead letters. */
const prefix = uniquePrefix('quorum');
let url: string;
let host: Host;
const attempts = new Map<string, number>();
const handled: string[] = [];

const plugin = definePlugin({
  name: 'q',
  version: '1.0.0',
  handlers: {
    work: {
      subscribe: { routingKeys: ['inventory.stock.level.changed'] },
      retry: { maxAttempts: 2, delayMs: 100 },
      handle(event, ctx) {
        attempts.set(event.id, ctx.attempt);
        const productId = event.data.productData.id;
        if (productId === 'always-fails' || (productId === 'fails-once' && ctx.attempt === 1)) throw new Error(`no ${productId}`);
        handled.push(productId);
      },
    },
  },
});

beforeAll(async () => {
  url = await getBrokerUrl();
  host = createHost({ broker: { url, prefix, queueType: 'quorum' }, http: { enabled: false } }, { plugins: [plugin], logger: silentLogger });
  await host.start();
});

afterAll(async () => {
  await host?.stop();
  await deleteByPrefix(url, prefix);
});

const stock = (productId: string) => ({
  productData: { id: productId },
  locationData: { id: 'WH-1' },
  stockMovement: { type: 'sale' as const, quantity: -5 },
  stockLevel: { previous: 9, current: 4 },
});

describe('quorum queues (broker.queueType: quorum, real broker)', () => {
  it('declares every queue of the topology as a quorum queue', async () => {
    const out = await rabbitmqctl('-q', 'list_queues', 'name', 'type');
    const ours = out
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([name]) => name?.startsWith(prefix));
    expect(ours.map(([name]) => name)).toEqual(expect.arrayContaining([`${prefix}.q.work`, `${prefix}.q.work.dlq`, `${prefix}.q.work.retry.100ms`, `${prefix}.ml.forecasting`]));
    expect(ours.every(([, type]) => type === 'quorum')).toBe(true);
  });

  it('declares at-least-once dead-lettering with reject-publish, and a delivery limit on work queues only', async () => {
    const out = await rabbitmqctl('-q', 'list_queues', 'name', 'arguments');
    const args = new Map(
      out
        .split('\n')
        .map((l) => l.trim().split('\t'))
        .filter(([name]) => name?.startsWith(prefix))
        .map(([name, a]) => [name!, a ?? ''] as const),
    );
    const work = args.get(`${prefix}.q.work`) ?? '';
    expect(work).toContain('{"x-dead-letter-strategy","at-least-once"}');
    expect(work).toContain('{"x-overflow","reject-publish"}');
    expect(work).toContain('{"x-delivery-limit",20}');
    const wait = args.get(`${prefix}.q.work.retry.100ms`) ?? '';
    expect(wait).toContain('{"x-dead-letter-strategy","at-least-once"}');
    expect(wait).toContain('{"x-overflow","reject-publish"}');
    expect(wait).not.toContain('x-delivery-limit');
    expect(args.get(`${prefix}.q.work.dlq`)).not.toContain('x-delivery-limit');
  });

  it('retries through the quorum wait queue and dead-letters into the quorum DLQ with the headers', async () => {
    await host.publish('inventory.stock.level.changed', stock('fine'));
    await host.publish('inventory.stock.level.changed', stock('fails-once'));
    await host.publish('inventory.stock.level.changed', stock('always-fails'));
    await waitFor(() => handled.length === 2, 15_000, 'fine and fails-once handled');
    expect(handled.sort()).toEqual(['fails-once', 'fine']);
    await waitFor(async () => (await host.transport.queueInfo(`${prefix}.q.work.dlq`)).messages === 1, 15_000, 'one dead letter');
    const [letter] = await peekDeadLetters(host.transport, `${prefix}.q.work.dlq`, 5);
    expect(letter).toMatchObject({ reason: 'retries-exhausted', attempts: 2, handler: 'q/work', originalQueue: `${prefix}.q.work` });
    expect(host.ready()).toBe(true);
  });
});
