import type { QueueDepths } from './depths.ts';
import type { RatePoint, RateSampler } from './sampler.ts';
import type { ConsoleSource } from './source.ts';

export interface OverviewView {
  host: { name: string; transport: string; durable: boolean; broker: string; status: string; uptimeSec: number };
  connection: { connected: boolean; reconnects: number; bufferedPublishes: number };
  workers: { threads: number; maxThreads: number; utilisation: number; queueDepth: number; running: number } | null;
  totals: { consumed: number; succeeded: number; failed: number; retried: number; deadLettered: number };
  point?: RatePoint;
  series?: RatePoint[];
}

export interface BindingView {
  key: string;
  queue: string;
  mode: string;
  batch: string;
  prefetch: number;
  concurrency: number;
  paused: boolean;
  ratePerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  consumed: number;
  succeeded: number;
  failed: number;
  retried: number;
  deadLettered: number;
  ready: number | null;
  retryTiers: Array<{ delayMs: number; messages: number | null }>;
  dlq: string;
  dlqMessages: number | null;
}

export function overviewView(source: ConsoleSource, sampler: RateSampler, full: boolean): OverviewView {
  const status = source.transport.status();
  const stats = source.stats();
  const workers = source.workers();
  const sum = (k: 'consumed' | 'succeeded' | 'failed' | 'retried' | 'deadLettered') => stats.subscriptions.reduce((n, s) => n + s[k], 0);
  const series = sampler.series();
  return {
    host: {
      name: source.hostName,
      transport: source.transport.kind,
      durable: source.transport.durable,
      broker: source.broker,
      status: source.readiness().status,
      uptimeSec: Math.round((Date.now() - source.startedAt) / 1000),
    },
    connection: { connected: status.connected, reconnects: status.reconnects, bufferedPublishes: status.bufferedPublishes },
    workers: workers ? { threads: workers.threads, maxThreads: workers.maxThreads, utilisation: workers.utilisation, queueDepth: workers.queueSize, running: workers.running } : null,
    totals: { consumed: sum('consumed'), succeeded: sum('succeeded'), failed: sum('failed'), retried: sum('retried'), deadLettered: sum('deadLettered') },
    ...(full ? { series } : { point: series[series.length - 1] }),
  };
}

export function bindingsView(source: ConsoleSource, sampler: RateSampler, depths: QueueDepths): BindingView[] {
  const stats = source.stats();
  const subs = new Map(stats.subscriptions.map((s) => [s.handler, s]));
  const handlers = new Map(stats.handlers.map((h) => [h.handler, h]));
  const rates = sampler.bindingRates();
  const n = (v: number | undefined) => (v === undefined ? null : v);
  return source.bindings().map((b) => {
    const s = subs.get(b.key);
    const h = handlers.get(b.key);
    return {
      key: b.key,
      queue: b.queue,
      mode: b.mode,
      batch: b.batch ? `${b.batch.size} / ${b.batch.flushMs} ms` : '',
      prefetch: b.prefetch,
      concurrency: b.concurrency,
      paused: source.control.isPaused(b.key),
      ratePerSec: rates.get(b.key) ?? 0,
      p50Ms: n(h?.p50Ms),
      p99Ms: n(h?.p99Ms),
      consumed: s?.consumed ?? 0,
      succeeded: s?.succeeded ?? 0,
      failed: s?.failed ?? 0,
      retried: s?.retried ?? 0,
      deadLettered: s?.deadLettered ?? 0,
      ready: n(depths.get(b.queue)),
      retryTiers: b.retryQueues.map((q) => ({ delayMs: q.delayMs, messages: n(depths.get(q.name)) })),
      dlq: b.dlq,
      dlqMessages: n(depths.get(b.dlq)),
    };
  });
}

/** every queue the bindings page counts */
export function shownQueues(source: ConsoleSource): string[] {
  return source.bindings().flatMap((b) => [b.queue, ...b.retryQueues.map((q) => q.name), b.dlq]);
}
