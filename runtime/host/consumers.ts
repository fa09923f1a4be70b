import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/schema.ts';
import type { StatsCollector } from '../observability/stats.ts';
import { buildPipeline, toDeliveryHandler, type PipelineDeps } from '../pipeline/index.ts';
import type { HandlerBinding } from '../pipeline/types.ts';
import type { ResolvedBinding } from '../plugins/index.ts';
import { buildTopology, type HoldingQueue } from '../topology/build.ts';
import { prefixed } from '../topology/names.ts';
import type { Transport } from '../transport/contract.ts';
import { PausableConsumer } from './pause-control.ts';

export interface StartBindingsInput {
  bindings: ResolvedBinding[];
  pluginOptions?: Map<string, unknown>;
  config: ResolvedConfig;
  transport: Transport;
  logger: Logger;
  stats: StatsCollector;
  pipeline: PipelineDeps;
  /** plugin queues with no consumer (`configure()` → `queues`) */
  holdingQueues?: HoldingQueue[];
}

/** Declare the topology, then one consumer per queue running the handlers bound to it. */
export async function startBindings(input: StartBindingsInput): Promise<PausableConsumer[]> {
  const { config, transport } = input;
  const prefix = config.broker.prefix;
  await transport.assertTopology(buildTopology(input.bindings, { prefix, queueType: config.broker.queueType, deliveryLimit: config.broker.deliveryLimit, defaultRetry: config.retry, holdingQueues: input.holdingQueues }));

  const byQueue = new Map<string, { handlers: HandlerBinding[]; prefetch: number; concurrency: number }>();
  for (const b of input.bindings) {
    const queue = prefixed(prefix, b.queue);
    const handler: HandlerBinding = {
      key: b.key,
      plugin: b.plugin,
      handler: b.handler,
      definition: b.definition,
      pluginFile: b.pluginFile || undefined,
      queue,
      routingKeys: b.routingKeys,
      mode: b.mode,
      retry: b.retry,
      timeoutMs: b.timeoutMs,
      batch: b.batch,
      options: input.pluginOptions?.get(b.plugin),
      logger: input.logger.child({ handler: b.key }),
    };
    input.stats.register(handler);
    // a batch fills by size only if that many deliveries can be unacked and running at once; room
    // for two lets one fill while the one before it runs (a worker batch would otherwise wait alone)
    const floor = 2 * (b.batch?.size ?? 0);
    const entry = byQueue.get(queue) ?? { handlers: [], prefetch: 0, concurrency: 0 };
    entry.handlers.push(handler);
    entry.prefetch = Math.max(entry.prefetch, b.prefetch, floor);
    entry.concurrency = Math.max(entry.concurrency, b.concurrency, floor);
    byQueue.set(queue, entry);
  }

  const consumers: PausableConsumer[] = [];
  const now = () => input.pipeline.clock.now();
  for (const [queue, entry] of byQueue) {
    const step = buildPipeline(entry.handlers, input.pipeline);
    const concurrency = Math.min(entry.concurrency, entry.prefetch);
    const handler = toDeliveryHandler(step, queue, now);
    const keys = entry.handlers.map((h) => h.key);
    const consumer = new PausableConsumer(
      queue,
      keys,
      () => transport.consume(queue, { prefetch: entry.prefetch, concurrency }, handler),
      config.shutdown.drainTimeoutMs,
      input.logger,
      (paused) => keys.forEach((k) => input.stats.setPaused(k, paused)),
    );
    await consumer.start();
    consumers.push(consumer);
  }
  return consumers;
}
