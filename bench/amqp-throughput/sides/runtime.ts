/**
 * The whole runtime: host → CloudEvent → confirm channel → broker → decode, schema, enrich, dedupe,
 * timeout → a no-op inline handler → coalesced ack. Classic or quorum queues (`broker.queueType`).
 * `runtime@<dir>` loads the runtime from another checkout (its node_modules installed) instead of
 * this one, so one run interleaves two commits on the same broker and machine load (an A/B).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHost, definePlugin } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { buildTopology } from '../../../runtime/topology/build.ts';
import { measureWarm, sendWindowed, stockPayload, type LoopResult, type LoopSettings } from '../measure.ts';
import type { QueueKind, Side } from './contract.ts';

const DELIVERY_LIMIT = 20;

/** the three entry points a side needs, from this checkout or another */
interface RuntimeLibrary {
  createHost: typeof createHost;
  definePlugin: typeof definePlugin;
  silentLogger: typeof silentLogger;
}

export interface RuntimeOptions {
  /** another checkout to load the runtime from (default this one) */
  root?: string;
  /** several broker URLs (`broker.urls`, a cluster) instead of `s.url` */
  urls?: string[];
  /** sees the count every 10 000 handled messages (the soak samples RSS there) */
  onRss?: (handled: number) => void;
}

async function library(root: string | undefined): Promise<RuntimeLibrary> {
  if (root === undefined) return { createHost, definePlugin, silentLogger };
  const from = (file: string) => pathToFileURL(resolve(root, file)).href;
  const index = (await import(from('runtime/index.ts'))) as typeof import('../../../runtime/index.ts');
  const logger = (await import(from('runtime/observability/logger.ts'))) as typeof import('../../../runtime/observability/logger.ts');
  return { createHost: index.createHost, definePlugin: index.definePlugin, silentLogger: logger.silentLogger };
}

export async function runRuntime(s: LoopSettings, prefix: string, queueType: QueueKind, { root, urls, onRss }: RuntimeOptions = {}): Promise<LoopResult> {
  const lib = await library(root);
  let handledCallback: (i: number) => void = () => {};
  let count = 0;
  const plugin = lib.definePlugin({
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
  const host = lib.createHost(
    {
      broker: {
        ...(urls ? { urls } : { url: s.url }),
        prefix,
        queueType,
        deliveryLimit: DELIVERY_LIMIT,
        prefetch: s.prefetch,
        concurrency: Number(process.env.BENCH_CONCURRENCY ?? s.prefetch),
      },
      http: { enabled: false },
      retry: { maxAttempts: 1 },
    },
    { plugins: [plugin], logger: lib.silentLogger },
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

/** what the host declares: the seed's exchanges and queues, the bench plugin's queue, their DLQs */
function declared(prefix: string, queueType: QueueKind) {
  const retry = { maxAttempts: 1, delayMs: 0, multiplier: 1, maxDelayMs: 0 };
  const spec = buildTopology([{ exchange: 'inventory.events', routingKeys: ['inventory.stock.level.changed'], queue: 'bench.noop', retry }], { prefix, queueType, deliveryLimit: DELIVERY_LIMIT });
  return { queues: spec.queues.map((q) => q.name), exchanges: spec.exchanges.map((x) => x.name) };
}

/** `root`: another checkout's runtime; its names are this checkout's (and the run's prefix sweep catches any it adds) */
export function runtimeSide(root?: string): Side {
  return { run: (s, prefix, queueType) => runRuntime(s, prefix, queueType, { root }), declared };
}

export const runtime: Side = runtimeSide();
