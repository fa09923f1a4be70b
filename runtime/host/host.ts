import type { Logger } from 'pino';
import { configSchema, type ResolvedConfig, type StokcerdasConfigInput } from '../../config/schema.ts';
import { formatPath } from '../../config/problems.ts';
import { redactConfig, redactString } from '../../config/redact.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import type { PublishOptions, StokEvent } from '../events/types.ts';
import type { PublishPayloadFor } from '../events/event-types.ts';
import { createHttpServer, readinessOf, type HttpServer, type IngestItem, type Readiness } from '../http/index.ts';
import { createConsole, lazyTopology } from '../http/console/index.ts';
import { skippedPlugins, type SkippedPlugin } from '../plugins/skipped.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { HostStats } from '../observability/stats.ts';
import type { DedupeStore } from '../pipeline/index.ts';
import type { LocalListener } from '../publishing/local-subscriptions.ts';
import type { Transport } from '../transport/contract.ts';
import type { PausableConsumer } from './pause-control.ts';
import { startBindings } from './consumers.ts';
import { HostWorkers } from './host-workers.ts';
import { loadHostPlugins, type PluginSet } from './plugin-set.ts';
import { configProblems } from './preflight.ts';
import { wireHost, type HostOptions, type HostWiring, type WorkerPoolHandle } from './wiring.ts';

export type { HostOptions, WorkerPoolHandle } from './wiring.ts';

// loaded when a binding runs in worker mode, or early for folder plugins (host-workers.ts): piscina
// stays out of hosts given their plugins in code that never use it
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
  const problems = parsed.success ? configProblems(parsed.data) : parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  if (!parsed.success || problems.length > 0) {
    throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, `invalid config:\n${problems.map((p) => `  ${p}`).join('\n')}`, { problems });
  }
  return new RuntimeHost(parsed.data, options);
}

/** Not public API: what the fake bus needs to know about the host's insides. */
export interface HostInternals {
  parkedInBatches(): number;
}

/** Undoes one start step. */
type Closer = () => Promise<void> | void;

/**
 * The lifecycle. `start()` runs its steps in order, each returning the closer that undoes it;
 * `stop()` (or a failed start) runs the closers in reverse, as Fastify's `onClose` hooks do, so a
 * step can rely on everything started before it still being there while it closes.
 */
class RuntimeHost implements Host, HostInternals {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly transport: Transport;
  readonly metrics: Metrics;
  state: HostState = 'created';
  plugins: PluginSet['plugins'] = [];
  problems: PluginSet['problems'] = [];

  private readonly wiring: HostWiring;
  private readonly closers: Closer[] = [];
  private http?: HttpServer;
  private consumers: PausableConsumer[] = [];
  private readonly pool: HostWorkers;
  private workersCloserPushed = false;
  private pluginSet?: PluginSet;
  private skipped: SkippedPlugin[] = [];

  constructor(config: ResolvedConfig, private readonly options: HostOptions) {
    this.config = config;
    this.wiring = wireHost(config, options, { workers: () => this.workers, consumers: () => this.consumers, skippedPlugins: () => this.skipped.length });
    this.logger = this.wiring.logger;
    this.transport = this.wiring.transport;
    this.metrics = this.wiring.metrics;
    this.pool = new HostWorkers(options.workerInvoker ?? defaultWorkerInvoker, { config, logger: this.logger });
  }

  /** the worker pool once the start's check took it; undefined when no handler runs in worker mode */
  private get workers(): WorkerPoolHandle | undefined {
    return this.pool.current;
  }

  /** One closer for the pool, registered by whichever step opens it first. */
  private closeWorkersOnStop(): void {
    if (this.workersCloserPushed) return;
    this.workersCloserPushed = true;
    this.closers.push(() => this.pool.close());
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new StokcerdasError(ErrorCodes.HOST_STATE, `host.start() called while ${this.state}`);
    this.state = 'starting';
    try {
      // the last closer: a scrape during the drain still answers, then the registry lets the host go
      this.closers.push(() => this.metrics.close());
      this.closers.push(this.startEventLoopMonitor());
      // folder plugins with the default pool: its first thread loads beside the HTTP start and the
      // plugin imports, not after them (host-workers.ts)
      if (this.options.plugins === undefined && this.options.workerInvoker === undefined) {
        this.closeWorkersOnStop();
        this.pool.openEarly();
      }
      // up before the broker connect: /healthz answers and /readyz says "starting" during a slow start
      if (this.config.http.enabled) this.closers.push(await this.startHttp());
      this.warnAboutData();
      if (Object.keys(this.config.bindings).length > 0) {
        this.logger.warn('config: the key "bindings" is deprecated and will be removed in the next release; rename it to "handlers" (same keys and settings)');
      }
      const set = await this.startPlugins();
      // registered before connecting: a connect that fails may leave a connection manager retrying
      this.closers.push(() => this.transport.close());
      await this.transport.connect();
      // ingest publishes through the transport: in-flight requests finish before it closes
      if (this.http) this.closers.push(() => this.closeHttp());
      const dedupeStore = await this.openDedupeStore();
      this.closers.push(() => dedupeStore.close?.());
      this.closers.push(await this.startConsuming(set, dedupeStore));
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
      await this.runClosers().catch((e) => this.logger.error({ err: e }, 'cleanup after a failed start failed'));
      throw err;
    }
  }

  private startEventLoopMonitor(): Closer {
    this.wiring.eventLoop.start();
    return () => this.wiring.eventLoop.stop();
  }

  private async startHttp(): Promise<Closer> {
    const { http } = this.config;
    const topology = lazyTopology(() => this.pluginSet?.bindings, this.config);
    const consoleHandler = await createConsole(
      {
        hostName: this.wiring.hostName,
        startedAt: Date.now(),
        broker: this.transport.kind === 'memory' ? 'memory transport (in this process)' : redactString(this.config.broker.url ?? ''),
        transport: this.transport,
        readiness: () => this.readiness(),
        stats: () => this.stats(),
        workers: () => this.workers?.stats?.(),
        registry: this.metrics.registry,
        bindings: () => topology().bindings,
        dlqs: () => topology().dlqs,
        control: this.wiring.container.resolve('pause'),
      },
      { token: http.token, logger: this.logger },
    );
    const server = createHttpServer(
      {
        readiness: () => this.readiness(),
        stats: () => redactConfig({ ...this.stats(), workers: this.workers?.stats?.(), config: this.config }),
        metrics: this.metrics,
        publishMany: (items: IngestItem[]) => this.publishMany(items),
        eventLoop: () => this.wiring.eventLoop.snapshot(),
      },
      { host: http.host, port: http.port, token: http.token, bodyLimitBytes: http.bodyLimitBytes, logger: this.logger, console: consoleHandler },
    );
    await server.listen();
    this.http = server;
    // normally closed earlier, before the transport (see start); this covers a start that failed before that
    return () => this.closeHttp();
  }

  private async closeHttp(): Promise<void> {
    const server = this.http;
    this.http = undefined;
    await server?.close().catch((err: unknown) => this.logger.warn({ err }, 'http server close failed'));
  }

  private warnAboutData(): void {
    const dataWarning = this.wiring.provider.startupWarning?.(this.wiring.clock.now());
    if (dataWarning) this.logger.warn(dataWarning);
    if (!this.transport.durable) {
      this.logger.warn('memory transport: events live in this process only and are lost when it stops (set broker.url or RABBITMQ_URL for RabbitMQ)');
    }
  }

  /** Preflight, then setup(); the worker pool starts first so a module that cannot load on a thread is skipped like any broken plugin. */
  private async startPlugins(): Promise<PluginSet> {
    const { registry, container, clock, publisher } = this.wiring;
    this.closeWorkersOnStop();
    const set = await loadHostPlugins({
      config: this.config,
      cwd: this.options.cwd,
      plugins: this.options.plugins,
      logger: this.logger,
      registry,
      container,
      clock,
      publish: (type, data, opts) => publisher.publish(type, data, opts),
      checkWorkers: async (bindings, optionsOf) => {
        const workers = await this.pool.take();
        return (await workers.validate?.(bindings, optionsOf)) ?? [];
      },
    });
    this.pool.releaseUnused();
    this.pluginSet = set;
    this.plugins = set.plugins;
    this.problems = set.problems;
    this.skipped = skippedPlugins(set.problems);
    this.closers.push(() => set.teardown());
    return set;
  }

  private async openDedupeStore(): Promise<DedupeStore> {
    if (this.options.dedupeStore || !this.config.dedupe.redisUrl) return this.wiring.dedupeStore;
    const { createRedisDedupeStore } = await import('../dedupe/redis-dedupe-store.ts');
    return createRedisDedupeStore({
      url: this.config.dedupe.redisUrl,
      ttlMs: this.config.dedupe.ttlMs,
      namespace: this.config.broker.prefix,
      logger: this.logger.child({ component: 'dedupe' }),
    });
  }

  /**
   * One consumer per queue. Its closer flushes open batches and drains in-flight deliveries up to
   * the deadline; meanwhile /readyz answers 503 "draining" and POST /events refuses.
   */
  private async startConsuming(set: PluginSet, dedupeStore: DedupeStore): Promise<Closer> {
    const close = async () => {
      const deadline = this.config.shutdown.drainTimeoutMs;
      this.wiring.batches.flushAll();
      await Promise.all(this.consumers.map((c) => c.cancel(deadline).catch((err) => this.logger.warn({ err, queue: c.queue }, 'consumer cancel failed'))));
      this.consumers = [];
    };
    try {
      this.consumers = await startBindings({
        bindings: set.bindings,
        holdingQueues: set.queues,
        pluginOptions: new Map(set.plugins.map((p) => [p.name, p.options])),
        config: this.config,
        transport: this.transport,
        logger: this.logger,
        stats: this.wiring.stats,
        pipeline: this.wiring.pipelineDeps(dedupeStore, this.workers),
      });
    } catch (err) {
      await close();
      throw err;
    }
    return close;
  }

  private async runClosers(): Promise<void> {
    while (this.closers.length > 0) await this.closers.pop()!();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.state = 'stopping';
    await this.runClosers();
    this.state = 'stopped';
    this.logger.info('stopped');
  }

  publish(type: string, data: unknown, options?: PublishOptions): Promise<StokEvent> {
    if (this.state !== 'ready' && this.state !== 'starting') {
      return Promise.reject(new StokcerdasError(ErrorCodes.HOST_STATE, `cannot publish ${type}: host is ${this.state} (call start() first)`));
    }
    return this.wiring.publisher.publish(type, data, options);
  }

  async publishMany(items: Array<{ type: string; data: unknown; options?: PublishOptions }>): Promise<StokEvent[]> {
    if (this.state !== 'ready' && this.state !== 'starting') {
      throw new StokcerdasError(ErrorCodes.HOST_STATE, `cannot publish ${items.length} events: host is ${this.state} (call start() first)`);
    }
    return this.wiring.publisher.publishMany(items);
  }

  subscribeLocal(pattern: string, listener: LocalListener): () => void {
    return this.wiring.local.subscribe(pattern, listener);
  }

  stats(): HostStats {
    return this.wiring.stats.snapshot({ ...this.transport.status(), transport: this.transport.kind, durable: this.transport.durable }, this.skipped);
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
    return this.wiring.container.resolve<T>(name);
  }

  parkedInBatches(): number {
    return this.wiring.batches.parked;
  }
}
