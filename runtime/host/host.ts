import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { configSchema, type ResolvedConfig, type StokcerdasConfigInput } from '../../config/schema.ts';
import { formatPath } from '../../config/problems.ts';
import { redactConfig } from '../../config/redact.ts';
import { systemClock, type Clock } from '../clock/index.ts';
import { ServiceContainer } from '../container/index.ts';
import { createContextProvider, contextExtensions } from '../context/index.ts';
import { decreeDataWarning, type IndonesianCalendar } from '../context/indonesia/calendar.ts';
import type { ContextProvider } from '../context/provider.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import { SchemaRegistry } from '../events/schemas.ts';
import type { PublishOptions, StokEvent } from '../events/types.ts';
import { createLogger } from '../observability/logger.ts';
import { EventLoopMonitor } from '../observability/event-loop.ts';
import { Metrics, withPublishMetrics } from '../observability/metrics.ts';
import { createHttpServer, httpConfigProblems, readinessOf, type HttpServer, type IngestItem, type Readiness } from '../http/index.ts';
import { createConsole, lazyTopology } from '../http/console/index.ts';
import { redactString } from '../../config/redact.ts';
import type { BindingControl } from './binding-control.ts';
import { StatsCollector, combineHooks, type HostStats } from '../observability/stats.ts';
import { BatchRegistry, MemoryDedupeStore, type DedupeStore, type PipelineHooks } from '../pipeline/index.ts';
import type { PluginDefinition } from '../plugins/types.ts';
import { skippedPlugins, type SkippedPlugin } from '../plugins/skipped.ts';
import { Publisher } from '../publishing/publisher.ts';
import type { PublishPayloadFor } from '../events/event-types.ts';
import { LocalSubscriptions, type LocalListener } from '../publishing/local-subscriptions.ts';
import { deadLetterExchangeName } from '../topology/names.ts';
import { createTransport } from '../transport/index.ts';
import type { Transport } from '../transport/contract.ts';
import { loadHostPlugins, type PluginSet } from './plugin-set.ts';
import { startBindings } from './bindings.ts';
import { createBindingControl, type PausableConsumer } from './binding-control.ts';
import { inlineInvoker as inline, type CallRunner } from '../pipeline/invoke.ts';
import type { HandlerCall } from '../pipeline/types.ts';
import type { WorkerPool } from '../workers/index.ts';

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
// loaded only when a binding runs in worker mode: piscina stays out of hosts that never use it
const defaultWorkerInvoker: NonNullable<HostOptions['workerInvoker']> = async (h) => (await import('../workers/index.ts')).createWorkerInvoker(h);

export type HostState = 'created' | 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';

export interface Host {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly transport: Transport;
  readonly metrics: Metrics;
  readonly state: HostState;
  readonly plugins: PluginSet['plugins'];
  readonly problems: PluginSet['problems'];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** a known type's payload is checked at compile time (its newest shape or an older version's, upcast) */
  publish<T extends string>(type: T, data: PublishPayloadFor<T>, options?: PublishOptions): Promise<StokEvent>;
  /** every event validated before any is sent (EVENT_INVALID lists each bad one in `details.invalid`); one confirm wait */
  publishMany(items: Array<{ type: string; data: unknown; options?: PublishOptions }>): Promise<StokEvent[]>;
  /** in-process listeners for events this host publishes (EVENT_BUS_LOCAL_ENABLED) */
  subscribeLocal(pattern: string, listener: LocalListener): () => void;
  stats(): HostStats;
  /** true once every binding consumes and the transport is connected */
  ready(): boolean;
  /** what /readyz answers: starting, ready, disconnected, not-consuming, draining, … */
  readiness(): Readiness;
  /** where the HTTP server listens (port 0 in the config → the port it got), once started */
  httpAddress(): { host: string; port: number } | undefined;
  resolve<T = unknown>(name: string): T;
}

/** Validates the config at once (every problem by path); `start()` does the I/O. */
export function createHost(input: StokcerdasConfigInput | ResolvedConfig = {}, options: HostOptions = {}): Host {
  const parsed = configSchema.safeParse(input);
  const problems = parsed.success ? httpConfigProblems(parsed.data.http) : parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  if (!parsed.success || problems.length > 0) {
    throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, `invalid config:\n${problems.map((p) => `  ${p}`).join('\n')}`, { problems });
  }
  return new RuntimeHost(parsed.data, options);
}

/** Not public API: what the fake bus needs to know about the host's insides. */
export interface HostInternals {
  parkedInBatches(): number;
}

class RuntimeHost implements Host, HostInternals {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly transport: Transport;
  readonly metrics: Metrics;
  state: HostState = 'created';
  plugins: PluginSet['plugins'] = [];
  problems: PluginSet['problems'] = [];

  private readonly clock: Clock;
  private readonly registry = new SchemaRegistry();
  private readonly container = new ServiceContainer();
  private readonly statsCollector: StatsCollector;
  private readonly hooks: PipelineHooks;
  private readonly publisher: Publisher;
  private readonly local: LocalSubscriptions;
  private readonly provider: ContextProvider;
  private readonly batches = new BatchRegistry();
  private dedupeStore: DedupeStore;
  private readonly hostName: string;
  /** the transport with its publishes counted (what the publisher and the pipeline send through) */
  private readonly counted: Transport;
  private readonly eventLoop = new EventLoopMonitor();
  private http?: HttpServer;
  private consumers: PausableConsumer[] = [];
  private pluginSet?: PluginSet;
  private workers?: WorkerPoolHandle;
  private skipped: SkippedPlugin[] = [];

  constructor(config: ResolvedConfig, private readonly options: HostOptions) {
    this.config = config;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger({ level: config.log.level });
    this.hostName = options.hostName ?? `${hostname()}/${process.pid}`;
    this.transport = options.transport ?? createTransport(config, { clock: this.clock, logger: this.logger, hostName: this.hostName });
    this.provider = options.provider ?? createContextProvider(config, () => this.clock.now());
    this.dedupeStore = options.dedupeStore ?? new MemoryDedupeStore({ ...config.dedupe, now: () => this.clock.now() });
    this.metrics = new Metrics({
      defaultMetrics: !options.transport,
      status: () => this.transport.status(),
      workers: () => this.workers?.stats?.(),
      eventLoop: () => this.eventLoop.snapshot(),
      eventLoopTotals: () => this.eventLoop.totals(),
      skippedPlugins: () => this.skipped.length,
    });
    const dlx = deadLetterExchangeName(config.broker.prefix);
    this.counted = withPublishMetrics(this.transport, this.metrics, (m) => (m.exchange === dlx ? 'dead-letter' : m.exchange === '' ? 'retry' : 'event'));
    this.statsCollector = new StatsCollector(() => this.clock.now());
    this.hooks = combineHooks(this.statsCollector, this.metrics.hooks, options.hooks ?? {});
    this.local = new LocalSubscriptions(this.logger);
    this.publisher = new Publisher({
      transport: this.counted,
      prefix: config.broker.prefix,
      clock: this.clock,
      provider: this.provider,
      extensionsFor: contextExtensions,
      registry: this.registry,
      source: `urn:stokcerdas:host:${this.hostName}`,
      appId: 'stokcerdas',
      defaultPriority: config.broker.defaultPriority,
      defaultTtlMs: config.broker.defaultTtlMs,
      local: config.local.enabled ? this.local : undefined,
      onPublished: (event) => {
        this.metrics.published.inc();
        options.hooks?.published?.(event);
      },
    });
    this.container.register('logger', this.logger);
    this.container.register('clock', this.clock);
    this.container.register('config', config);
    this.container.register('contextProvider', this.provider);
    this.container.register('publish', (type: string, data: unknown, opts?: PublishOptions) => this.publisher.publish(type, data, opts));
    const calendar = (this.provider as { calendar?: unknown }).calendar;
    if (calendar) this.container.register('calendar', calendar);
    this.container.register('bindings', createBindingControl(() => this.consumers));
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new StokcerdasError(ErrorCodes.HOST_STATE, `host.start() called while ${this.state}`);
    this.state = 'starting';
    try {
      this.eventLoop.start();
      // up before the broker connect: /healthz answers and /readyz says "starting" during a slow start
      if (this.config.http.enabled) await this.startHttp();
      const calendar = (this.provider as { calendar?: IndonesianCalendar }).calendar;
      const dataWarning = calendar && decreeDataWarning(calendar, this.clock.now());
      if (dataWarning) this.logger.warn(dataWarning);
      if (!this.transport.durable) {
        this.logger.warn('memory transport: events live in this process only and are lost when it stops (set broker.url or RABBITMQ_URL for RabbitMQ)');
      }
      const set = await loadHostPlugins({
        config: this.config,
        cwd: this.options.cwd,
        plugins: this.options.plugins,
        logger: this.logger,
        registry: this.registry,
        container: this.container,
        clock: this.clock,
        publish: (type, data, opts) => this.publisher.publish(type, data, opts),
        // the pool starts before setup() so a module that cannot load on a thread is skipped like any broken plugin
        checkWorkers: async (bindings, optionsOf) => {
          this.workers = await (this.options.workerInvoker ?? defaultWorkerInvoker)({ config: this.config, logger: this.logger });
          return (await this.workers.validate?.(bindings, optionsOf)) ?? [];
        },
      });
      this.pluginSet = set;
      this.plugins = set.plugins;
      this.problems = set.problems;
      this.skipped = skippedPlugins(set.problems);
      await this.transport.connect();
      if (!this.options.dedupeStore && this.config.dedupe.redisUrl) {
        const { createRedisDedupeStore } = await import('../dedupe/redis-dedupe-store.ts');
        this.dedupeStore = await createRedisDedupeStore({
          url: this.config.dedupe.redisUrl,
          ttlMs: this.config.dedupe.ttlMs,
          namespace: this.config.broker.prefix,
          logger: this.logger.child({ component: 'dedupe' }),
        });
      }
      this.consumers = await startBindings({
        bindings: set.bindings,
        holdingQueues: set.queues,
        pluginOptions: new Map(set.plugins.map((p) => [p.name, p.options])),
        config: this.config,
        transport: this.transport,
        logger: this.logger,
        stats: this.statsCollector,
        pipeline: {
          registry: this.registry,
          provider: this.provider,
          dedupeStore: this.dedupeStore,
          publisher: this.publisher,
          publishRaw: (m) => this.counted.publish(m),
          deadLetterExchange: deadLetterExchangeName(this.config.broker.prefix),
          defaultRetry: this.config.retry,
          host: this.hostName,
          clock: this.clock,
          hooks: this.hooks,
          logger: this.logger,
          invokerFor: (call) => this.invokerFor(call),
          resolve: (name) => this.container.resolve(name),
          batches: this.batches,
        },
      });
      this.state = 'ready';
      // a host that runs without a plugin must say so where operators look first, not only in an earlier error line
      const skipped = this.skipped.map((p) => p.plugin);
      const line = `ready: ${set.plugins.length} plugins, ${set.bindings.length} bindings on the ${this.transport.kind} transport`;
      this.logger[skipped.length > 0 ? 'warn' : 'info'](
        { plugins: set.plugins.length, bindings: set.bindings.length, skipped: skipped.length, skippedPlugins: skipped, transport: this.transport.kind },
        skipped.length > 0 ? `${line}; ${skipped.length} skipped: ${skipped.join(', ')}` : line,
      );
    } catch (err) {
      this.state = 'failed';
      await this.shutdown().catch((e) => this.logger.error({ err: e }, 'cleanup after a failed start failed'));
      throw err;
    }
  }

  private async startHttp(): Promise<void> {
    const { http } = this.config;
    const topology = lazyTopology(() => this.pluginSet?.bindings, this.config);
    const consoleHandler = await createConsole(
      {
        hostName: this.hostName,
        startedAt: Date.now(),
        broker: this.transport.kind === 'memory' ? 'memory transport (in this process)' : redactString(this.config.broker.url ?? ''),
        transport: this.transport,
        readiness: () => this.readiness(),
        stats: () => this.stats(),
        workers: () => this.workers?.stats?.(),
        registry: this.metrics.registry,
        bindings: () => topology().bindings,
        dlqs: () => topology().dlqs,
        control: this.container.resolve<BindingControl>('bindings'),
      },
      { token: http.token, logger: this.logger },
    );
    const server = createHttpServer(
      {
        readiness: () => this.readiness(),
        stats: () => redactConfig({ ...this.stats(), workers: this.workers?.stats?.(), config: this.config }),
        metrics: this.metrics,
        publishMany: (items: IngestItem[]) => this.publishMany(items),
        eventLoop: () => this.eventLoop.snapshot(),
      },
      { host: http.host, port: http.port, token: http.token, bodyLimitBytes: http.bodyLimitBytes, logger: this.logger, console: consoleHandler },
    );
    await server.listen();
    this.http = server;
  }

  private invokerFor(call: HandlerCall): CallRunner {
    if (call.binding.mode === 'worker' && this.workers) return this.workers.invoker;
    return inline;
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.state = 'stopping';
    await this.shutdown();
    this.state = 'stopped';
    this.logger.info('stopped');
  }

  /**
   * Stop consuming, drain in flight up to the deadline, flush batches, teardown, close. While it
   * drains /readyz answers 503 "draining" and POST /events refuses; the HTTP server closes before
   * anything it publishes through (in-flight ingest finishes first).
   */
  private async shutdown(): Promise<void> {
    const deadline = this.config.shutdown.drainTimeoutMs;
    this.batches.flushAll();
    await Promise.all(this.consumers.map((c) => c.cancel(deadline).catch((err) => this.logger.warn({ err, queue: c.queue }, 'consumer cancel failed'))));
    this.consumers = [];
    await this.http?.close().catch((err: unknown) => this.logger.warn({ err }, 'http server close failed'));
    this.http = undefined;
    if (this.pluginSet) await this.pluginSet.teardown();
    await this.workers?.close();
    await this.transport.close();
    await this.dedupeStore.close?.();
    this.eventLoop.stop();
  }

  publish(type: string, data: unknown, options?: PublishOptions): Promise<StokEvent> {
    if (this.state !== 'ready' && this.state !== 'starting') {
      return Promise.reject(new StokcerdasError(ErrorCodes.HOST_STATE, `cannot publish ${type}: host is ${this.state} (call start() first)`));
    }
    return this.publisher.publish(type, data, options);
  }

  async publishMany(items: Array<{ type: string; data: unknown; options?: PublishOptions }>): Promise<StokEvent[]> {
    if (this.state !== 'ready' && this.state !== 'starting') {
      throw new StokcerdasError(ErrorCodes.HOST_STATE, `cannot publish ${items.length} events: host is ${this.state} (call start() first)`);
    }
    return this.publisher.publishMany(items);
  }

  subscribeLocal(pattern: string, listener: LocalListener): () => void {
    return this.local.subscribe(pattern, listener);
  }

  stats(): HostStats {
    return this.statsCollector.snapshot({ ...this.transport.status(), transport: this.transport.kind, durable: this.transport.durable }, this.skipped);
  }

  ready(): boolean {
    return this.readiness().ready;
  }

  readiness(): Readiness {
    return readinessOf(this.state, this.transport, this.skipped);
  }

  httpAddress(): { host: string; port: number } | undefined {
    return this.http?.address();
  }

  resolve<T = unknown>(name: string): T {
    return this.container.resolve<T>(name);
  }

  parkedInBatches(): number {
    return this.batches.parked;
  }
}
