import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PipelineHooks } from '../pipeline/types.ts';
import type { TransportStatus } from '../transport/contract.ts';

/**
 * Prometheus metrics, one registry per host (so tests may run several hosts in one process).
 * Labels are bounded: queue, handler, outcome and reason come from the topology and fixed enums,
 * never from event data.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly deliveries = new Counter({ name: 'stokcerdas_deliveries_total', help: 'Deliveries settled, by queue and settlement', labelNames: ['queue', 'settlement'], registers: [this.registry] });
  private readonly handlerDuration = new Histogram({
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
  readonly published = new Counter({ name: 'stokcerdas_events_published_total', help: 'Events published and confirmed', registers: [this.registry] });
  constructor(options: { defaultMetrics?: boolean; status?: () => TransportStatus } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'stokcerdas_' });
    const status = options.status;
    if (status) {
      // read at scrape time: the transport's own numbers are the truth
      const gauge = (name: string, help: string, read: (s: TransportStatus) => number) =>
        new Gauge({ name, help, registers: [this.registry], collect() { this.set(read(status())); } });
      gauge('stokcerdas_broker_connected', '1 when the transport is connected', (s) => (s.connected ? 1 : 0));
      gauge('stokcerdas_broker_reconnects', 'Reconnects since start', (s) => s.reconnects);
      gauge('stokcerdas_publish_buffer_depth', 'Publishes waiting for a connection', (s) => s.bufferedPublishes);
    }
  }

  readonly hooks: PipelineHooks = {
    settled: (ctx, settlement) => this.deliveries.labels(ctx.queue, settlement).inc(),
    handled: (binding, ms, outcome, size) => {
      this.handlerDuration.labels(binding.key, outcome).observe(ms / 1000);
      void size;
    },
    retried: (_ctx, binding) => this.retries.labels(binding.key).inc(),
    deadLettered: (info) => this.deadLetters.labels(info.queue, String(info.headers['x-death-reason'])).inc(),
    deduplicated: (_e, binding) => this.deduplicated.labels(binding.key).inc(),
    batchFlushed: (binding, size, reason) => this.batchSize.labels(binding.key, reason).observe(size),
  };

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
