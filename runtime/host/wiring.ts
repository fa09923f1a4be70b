import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/schema.ts';
import { systemClock, type Clock } from '../clock/index.ts';
import { ServiceContainer } from '../container/index.ts';
import { contextExtensions, createContextProvider } from '../context/index.ts';
import type { ContextProvider } from '../context/provider.ts';
import { SchemaRegistry } from '../events/schemas.ts';
import type { PublishOptions } from '../events/types.ts';
import { EventLoopMonitor } from '../observability/event-loop.ts';
import { createLogger } from '../observability/logger.ts';
import { Metrics, withPublishMetrics } from '../observability/metrics.ts';
import { StatsCollector, combineHooks } from '../observability/stats.ts';
import { BatchRegistry, MemoryDedupeStore, type DedupeStore, type PipelineHooks } from '../pipeline/index.ts';
import type { PipelineDeps } from '../pipeline/index.ts';
import { inlineInvoker, type CallRunner } from '../pipeline/invoke.ts';
import type { PluginDefinition } from '../plugins/types.ts';
import { LocalSubscriptions } from '../publishing/local-subscriptions.ts';
import { Publisher } from '../publishing/publisher.ts';
import { deadLetterExchangeName } from '../topology/names.ts';
import type { Transport } from '../transport/contract.ts';
import { createTransport } from '../transport/index.ts';
import type { WorkerPool } from '../workers/index.ts';
import { createPauseControl, type PausableConsumer } from './pause-control.ts';

/**
 * The one place that builds the host's collaborators and connects them. Nothing here does I/O:
 * connecting, listening and loading plugins are lifecycle steps (host.ts), each with its closer.
 */

export interface HostOptions {
  /** resolves `plugins.dir`; default process.cwd() */
  cwd?: string;
  /** use this transport instead of the one the config selects (tests) */
  transport?: Transport;
  clock?: Clock;
  logger?: Logger;
  /** plugins given as objects: discovery of `plugins.dir` is skipped */
  plugins?: PluginDefinition[];
  provider?: ContextProvider;
  dedupeStore?: DedupeStore;
  /** extra observers (the fake bus's lists) */
  hooks?: PipelineHooks;
  /** worker-mode invoker (workers/); inline handlers never use it */
  workerInvoker?: (host: { config: ResolvedConfig; logger: Logger }) => Promise<WorkerPoolHandle>;
  hostName?: string;
}

/** What a worker invoker factory returns; `validate` imports worker-mode modules at start. */
export type WorkerPoolHandle = Pick<WorkerPool, 'invoker' | 'close'> & Partial<Pick<WorkerPool, 'validate' | 'stats'>>;

/** What the lifecycle holds that the wiring reads later (metrics and services ask for it on demand). */
export interface LiveParts {
  workers(): WorkerPoolHandle | undefined;
  consumers(): readonly PausableConsumer[];
  /** how many plugins the start skipped (a gauge) */
  skippedPlugins(): number;
}

export interface HostWiring {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly hostName: string;
  readonly transport: Transport;
  /** the transport with its publishes counted: what the publisher and the pipeline send through */
  readonly counted: Transport;
  readonly provider: ContextProvider;
  readonly registry: SchemaRegistry;
  readonly container: ServiceContainer;
  readonly metrics: Metrics;
  readonly stats: StatsCollector;
  readonly hooks: PipelineHooks;
  readonly local: LocalSubscriptions;
  readonly publisher: Publisher;
  readonly batches: BatchRegistry;
  readonly eventLoop: EventLoopMonitor;
  /** the in-memory store, or the one given; a shared Redis store replaces it at start */
  readonly dedupeStore: DedupeStore;
  /** the pipeline's collaborators, for the dedupe store and worker pool the start ended up with */
  pipelineDeps(dedupeStore: DedupeStore, workers: WorkerPoolHandle | undefined): PipelineDeps;
}

export function wireHost(config: ResolvedConfig, options: HostOptions, live: LiveParts): HostWiring {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const hostName = options.hostName ?? `${hostname()}/${process.pid}`;
  const transport = options.transport ?? createTransport(config, { clock, logger, hostName });
  const provider = options.provider ?? createContextProvider(config, now);
  const dedupeStore = options.dedupeStore ?? new MemoryDedupeStore({ ...config.dedupe, now });
  const eventLoop = new EventLoopMonitor();
  const metrics = new Metrics({
    defaultMetrics: !options.transport,
    status: () => transport.status(),
    workers: () => live.workers()?.stats?.(),
    eventLoop: () => eventLoop.snapshot(),
    eventLoopTotals: () => eventLoop.totals(),
    skippedPlugins: () => live.skippedPlugins(),
  });
  const dlx = deadLetterExchangeName(config.broker.prefix);
  const counted = withPublishMetrics(transport, metrics, (m) => (m.exchange === dlx ? 'dead-letter' : m.exchange === '' ? 'retry' : 'event'));
  const stats = new StatsCollector(now);
  const hooks = combineHooks(stats, metrics.hooks, options.hooks ?? {});
  const local = new LocalSubscriptions(logger);
  const registry = new SchemaRegistry();
  const publisher = new Publisher({
    transport: counted,
    prefix: config.broker.prefix,
    clock,
    provider,
    extensionsFor: contextExtensions,
    registry,
    source: `urn:stokcerdas:host:${hostName}`,
    appId: 'stokcerdas',
    defaultPriority: config.broker.defaultPriority,
    defaultTtlMs: config.broker.defaultTtlMs,
    local: config.local.enabled ? local : undefined,
    onPublished: (event) => {
      metrics.published.inc();
      options.hooks?.published?.(event);
    },
  });
  const batches = new BatchRegistry();

  const container = new ServiceContainer();
  container.register('logger', logger);
  container.register('clock', clock);
  container.register('config', config);
  container.register('contextProvider', provider);
  container.register('publish', (type: string, data: unknown, opts?: PublishOptions) => publisher.publish(type, data, opts));
  if (provider.calendar) container.register('calendar', provider.calendar);
  container.register('pause', createPauseControl(() => live.consumers()));
  container.registerDeprecatedAlias('bindings', 'pause', (message) => logger.warn(message));

  return {
    clock,
    logger,
    hostName,
    transport,
    counted,
    provider,
    registry,
    container,
    metrics,
    stats,
    hooks,
    local,
    publisher,
    batches,
    eventLoop,
    dedupeStore,
    pipelineDeps: (store, workers) => ({
      registry,
      provider,
      dedupeStore: store,
      publisher,
      publishRaw: (m) => counted.publish(m),
      deadLetterExchange: dlx,
      defaultRetry: config.retry,
      host: hostName,
      clock,
      hooks,
      logger,
      invokerFor: (call): CallRunner => (call.binding.mode === 'worker' && workers ? workers.invoker : inlineInvoker),
      resolve: (name) => container.resolve(name),
      batches,
    }),
  };
}
