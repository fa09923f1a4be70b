import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PipelineHooks } from '../pipeline/types.ts';
import type { OutgoingMessage, Transport, TransportStatus } from '../transport/contract.ts';
import type { EventLoopDelay, EventLoopTotals } from './event-loop.ts';
import { registerEventLoopSummary } from './event-loop-summary.ts';
import { type CounterSeries, type HistogramSeries, LeanCounter, LeanHistogram } from './lean-series.ts';

/** What a publish was for: a new event, a copy for a retry wait queue, a copy for a DLQ. */
export type PublishKind = 'event' | 'retry' | 'dead-letter';

/** The worker pool's numbers the metrics read (runtime/workers WorkerPoolStats has more). */
export interface WorkerGaugeStats {
  threads: number;
  maxThreads: number;
  utilisation: number;
  queueSize: number;
  running: number;
}

export interface MetricsOptions {
  defaultMetrics?: boolean;
  status?: () => TransportStatus;
  /** absent, or undefined at scrape time, when no binding runs in worker mode */
  workers?: () => WorkerGaugeStats | undefined;
  eventLoop?: () => EventLoopDelay;
  /** with `eventLoop`: the summary's `_sum` and `_count` (zero without it) */
  eventLoopTotals?: () => EventLoopTotals;
  /** plugins the host started without (non-strict mode) */
  skippedPlugins?: () => number;
}

/**
 * prom-client's gauges named `_total` (promtool: "non-counter metrics should not have _total
 * suffix"); each is the sum of the family of the same name without the suffix, by `type`.
 */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * Prometheus metrics, one registry per host (so tests may run several hosts in one process).
 * Labels are bounded: queue, handler, outcome, kind and reason come from the topology and fixed
 * enums, never from event data (no event type, tenant or id ever becomes a label).
 */
export class Metrics {
  readonly registry = new Registry();
  // the registry prints families in this order; the Lean ones are the series touched per delivery or publish
  private readonly deliveries = new LeanCounter({ name: 'stokcerdas_deliveries_total', help: 'Deliveries settled, by queue and settlement', labelNames: ['queue', 'settlement'], registers: [this.registry] });
  private readonly handlerDuration = new LeanHistogram({
    name: 'stokcerdas_handler_duration_seconds',
    help: 'Handler call duration',
    labelNames: ['handler', 'outcome'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  private readonly retries = new Counter({ name: 'stokcerdas_retries_total', help: 'Deliveries sent to a retry wait queue', labelNames: ['handler'], registers: [this.registry] });
  private readonly deadLetters = new Counter({ name: 'stokcerdas_dead_letters_total', help: 'Deliveries dead-lettered, by reason', labelNames: ['queue', 'reason'], registers: [this.registry] });
  private readonly deduplicated = new Counter({ name: 'stokcerdas_deduplicated_total', help: 'Handler calls skipped as duplicates', labelNames: ['handler'], registers: [this.registry] });
  private readonly batchSize = new Histogram({ name: 'stokcerdas_batch_size', help: 'Events per flushed batch', labelNames: ['handler', 'reason'], buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000], registers: [this.registry] });
  readonly published = new LeanCounter({ name: 'stokcerdas_events_published_total', help: 'Events published and confirmed', registers: [this.registry] });
  private readonly publishes = new LeanCounter({
    name: 'stokcerdas_publishes_total',
    help: 'Broker publishes by kind (event, retry, dead-letter) and outcome (confirmed, failed)',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  private readonly confirmDuration = new LeanHistogram({
    name: 'stokcerdas_publish_confirm_duration_seconds',
    help: 'Time from publish to the broker confirm (one observation per publish call or batch)',
    labelNames: ['kind'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    if (options.defaultMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: 'stokcerdas_' });
      for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(`stokcerdas_${name}`);
    }
    const registers = [this.registry];
    // read at scrape time: the transport's, the pool's and the monitor's own numbers are the truth
    const status = options.status;
    if (status) {
      const gauge = (name: string, help: string, read: (s: TransportStatus) => number) =>
        new Gauge({ name, help, registers, collect() { this.set(read(status())); } });
      gauge('stokcerdas_broker_connected', '1 when the transport is connected', (s) => (s.connected ? 1 : 0));
      gauge('stokcerdas_publish_buffer_depth', 'Publishes waiting for a connection', (s) => s.bufferedPublishes);
      let counted = 0;
      new Counter({
        name: 'stokcerdas_broker_reconnects_total',
        help: 'Reconnects to the broker since start',
        registers,
        collect() {
          const now = status().reconnects;
          if (now > counted) this.inc(now - counted);
          counted = Math.max(counted, now);
        },
      });
      let moved = 0;
      new Counter({
        name: 'stokcerdas_broker_failovers_total',
        help: 'Reconnects that landed on another broker node than the one before',
        registers,
        collect() {
          const now = status().failovers ?? 0;
          if (now > moved) this.inc(now - moved);
          moved = Math.max(moved, now);
        },
      });
      new Gauge({
        name: 'stokcerdas_broker_node',
        help: '1 for the broker node (host:port from broker.url / broker.urls) the transport is connected to',
        labelNames: ['node'],
        registers,
        collect() {
          this.reset();
          const node = status().node;
          if (node !== undefined) this.set({ node }, 1);
        },
      });
    }
    const workers = options.workers;
    if (workers) {
      const gauge = (name: string, help: string, read: (s: WorkerGaugeStats) => number) =>
        new Gauge({
          name,
          help,
          registers,
          collect() {
            const s = workers();
            this.set(s ? read(s) : 0);
          },
        });
      gauge('stokcerdas_worker_pool_utilization_ratio', 'Share of worker-thread time spent running handlers (0–1)', (s) => s.utilisation);
      gauge('stokcerdas_worker_pool_queue_depth', 'Worker-mode calls queued for a thread', (s) => s.queueSize);
      gauge('stokcerdas_worker_pool_running', 'Worker-mode calls running now', (s) => s.running);
      gauge('stokcerdas_worker_pool_threads', 'Worker threads alive', (s) => s.threads);
      gauge('stokcerdas_worker_pool_max_threads', 'Worker threads allowed', (s) => s.maxThreads);
    }
    const skipped = options.skippedPlugins;
    if (skipped) {
      new Gauge({
        name: 'stokcerdas_plugins_skipped',
        help: 'Plugins the host started without (non-strict mode): alert when above 0',
        registers,
        collect() {
          this.set(skipped());
        },
      });
    }
    const eventLoop = options.eventLoop;
    if (eventLoop) {
      const totals = options.eventLoopTotals ?? (() => ({ samples: 0, delaySumMs: 0 }));
      registerEventLoopSummary(this.registry, eventLoop, totals);
    }
  }

  private readonly delivered = childCache((queue: string, settlement: string) => this.deliveries.labels(queue, settlement));
  private readonly handlerTimes = childCache((handler: string, outcome: string) => this.handlerDuration.labels(handler, outcome));

  readonly hooks: PipelineHooks = {
    settled: (ctx, settlement) => this.delivered(ctx.queue, settlement).inc(),
    handled: (binding, ms, outcome) => this.handlerTimes(binding.key, outcome).observe(ms / 1000),
    retried: (_ctx, binding) => this.retries.labels(binding.key).inc(),
    deadLettered: (info) => this.deadLetters.labels(info.queue, String(info.headers['x-death-reason'])).inc(),
    deduplicated: (_e, binding) => this.deduplicated.labels(binding.key).inc(),
    batchFlushed: (binding, size, reason) => this.batchSize.labels(binding.key, reason).observe(size),
  };

  /**
   * Counts `count` publishes of `kind` and times their confirm. The caller keeps its own promise:
   * the observers hang off it on the side, so a publish costs no extra hop in the chain.
   */
  observePublish<T>(kind: PublishKind, count: number, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const series = this.publishSeries(kind);
    const confirmed = run();
    confirmed.then(
      () => {
        series.duration.observe((performance.now() - started) / 1000);
        series.confirmed.inc(count);
      },
      () => series.failed.inc(count),
    );
    return confirmed;
  }

  /** labelled children looked up once per kind: this runs for every publish */
  private readonly seriesByKind = new Map<PublishKind, { duration: HistogramSeries; confirmed: CounterSeries; failed: CounterSeries }>();
  private publishSeries(kind: PublishKind) {
    let series = this.seriesByKind.get(kind);
    if (!series) {
      series = { duration: this.confirmDuration.labels(kind), confirmed: this.publishes.labels(kind, 'confirmed'), failed: this.publishes.labels(kind, 'failed') };
      this.seriesByKind.set(kind, series);
    }
    return series;
  }

  /**
   * Empties the registry. prom-client's GC-duration metric observes collections for the life of the
   * process and holds the registry it was registered in; an emptied registry no longer reaches
   * this host's metrics (nor the status, stats and monitors they read), so a stopped host is freed.
   */
  close(): void {
    this.registry.clear();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * The same transport with its publishes counted and timed. `kindOf` names what a message is for
 * (the host knows its dead-letter exchange; retries go through the default exchange).
 */
export function withPublishMetrics(transport: Transport, metrics: Metrics, kindOf: (m: OutgoingMessage) => PublishKind): Transport {
  const publish = (m: OutgoingMessage) => metrics.observePublish(kindOf(m), 1, () => transport.publish(m));
  const publishBatch = (ms: OutgoingMessage[]) =>
    metrics.observePublish(ms.length > 0 ? kindOf(ms[0]!) : 'event', ms.length, () => transport.publishBatch(ms));
  // every other member is the transport's own, bound once (this runs for every publish)
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(transport, {
    get(target, prop) {
      if (prop === 'publish') return publish;
      if (prop === 'publishBatch') return publishBatch;
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      let fn = bound.get(prop);
      if (!fn) bound.set(prop, (fn = (value as (...a: unknown[]) => unknown).bind(target)));
      return fn;
    },
  });
}

/** the per-delivery series are looked up once per label pair, by two Map hits and no string building */
function childCache<C>(make: (a: string, b: string) => C): (a: string, b: string) => C {
  const byA = new Map<string, Map<string, C>>();
  return (a, b) => {
    let byB = byA.get(a);
    if (!byB) byA.set(a, (byB = new Map()));
    let child = byB.get(b);
    if (!child) byB.set(b, (child = make(a, b)));
    return child;
  };
}
