/**
 * The whole runtime: host → CloudEvent → confirm channel → broker → decode, schema, enrich, dedupe,
 * timeout → a no-op inline handler → coalesced ack. Classic or quorum queues (`broker.queueType`).
 */
import { createHost, definePlugin } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { buildTopology } from '../../../runtime/topology/build.ts';
import { measureWarm, sendWindowed, stockPayload, type LoopResult, type LoopSettings } from '../measure.ts';
import type { QueueKind, Side } from './contract.ts';

const DELIVERY_LIMIT = 20;

/** `onRss` sees RSS every 10 000 handled messages (the soak) */
export async function runRuntime(s: LoopSettings, prefix: string, queueType: QueueKind, onRss?: (handled: number) => void): Promise<LoopResult> {
  let handledCallback: (i: number) => void = () => {};
  let count = 0;
  const plugin = definePlugin({
    name: 'bench',
    version: '1.0.0',
    handlers: {
      noop: {
        subscribe: { routingKeys: ['inventory.stock.level.changed'] },
        handle(event) {
          handledCallback(Number(event.data.stockMovement.referenceId));
          if (onRss && ++count % 10_000 === 0) onRss(count);
        },
      },
    },
  });
  const host = createHost(
    {
      broker: { url: s.url, prefix, queueType, deliveryLimit: DELIVERY_LIMIT, prefetch: s.prefetch, concurrency: Number(process.env.BENCH_CONCURRENCY ?? s.prefetch) },
      http: { enabled: false },
      retry: { maxAttempts: 1 },
    },
    { plugins: [plugin], logger: silentLogger },
  );
  await host.start();
  try {
    return await measureWarm(s, async (sentAt, handled) => {
      handledCallback = handled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        host.publish('inventory.stock.level.changed', stockPayload(i), { tenantId: 't1' }).then(confirmed, (err: unknown) => {
          console.error(err);
          process.exit(1);
        });
      });
    });
  } finally {
    await host.stop();
  }
}

export const runtime: Side = {
  run: (s, prefix, queueType) => runRuntime(s, prefix, queueType),
  // what the host declares: the seed's exchanges and queues, the bench plugin's queue, their DLQs
  declared(prefix, queueType) {
    const retry = { maxAttempts: 1, delayMs: 0, multiplier: 1, maxDelayMs: 0 };
    const spec = buildTopology([{ exchange: 'inventory.events', routingKeys: ['inventory.stock.level.changed'], queue: 'bench.noop', retry }], { prefix, queueType, deliveryLimit: DELIVERY_LIMIT });
    return { queues: spec.queues.map((q) => q.name), exchanges: spec.exchanges.map((x) => x.name) };
  },
};
