import type { Settlement, TransportStatus } from '../transport/contract.ts';
import type { HandlerBinding, PipelineHooks } from '../pipeline/types.ts';
import type { SkippedPlugin } from '../plugins/skipped.ts';
import { RecentDurations } from './recent-durations.ts';

/** The seed's four stats (subscriptions, batches, connection, handlers), kept as plain counters. */
export interface SubscriptionStats {
  handler: string;
  queue: string;
  routingKeys: string[];
  mode: 'inline' | 'worker';
  consumed: number;
  succeeded: number;
  failed: number;
  retried: number;
  deadLettered: number;
  deduplicated: number;
  lastEventAt?: string;
  /** present while the binding's consumer is paused on purpose (the `bindings` service) */
  paused?: boolean;
  /** kept as a number on the hot path, formatted as lastEventAt by snapshot() */
  lastEventAtMs?: number;
}

export interface HandlerStats {
  handler: string;
  invocations: number;
  successes: number;
  failures: number;
  events: number;
  averageDurationMs: number;
  maxDurationMs: number;
  /** over the last 512 calls; absent before the first */
  p50Ms?: number;
  p99Ms?: number;
}

export interface BatchStats {
  handler: string;
  batches: number;
  events: number;
  averageSize: number;
  maxSize: number;
  flushReasons: { size: number; time: number; drain: number };
  averageWaitMs: number;
}

export interface QueueStats {
  queue: string;
  deliveries: number;
  acked: number;
  rejected: number;
  requeued: number;
  poison: number;
}

export interface HostStats {
  subscriptions: SubscriptionStats[];
  batches: BatchStats[];
  connection: TransportStatus & { transport: string; durable: boolean };
  handlers: HandlerStats[];
  queues: QueueStats[];
  /** plugins the host started without (non-strict mode), with each one's first problem */
  skippedPlugins: SkippedPlugin[];
}

export class StatsCollector implements PipelineHooks {
  private readonly subs = new Map<string, SubscriptionStats>();
  private readonly handlerStats = new Map<string, HandlerStats & { totalMs: number }>();
  private readonly batchStats = new Map<string, BatchStats & { totalWaitMs: number }>();
  private readonly queueStats = new Map<string, QueueStats>();
  private readonly recent = new Map<string, RecentDurations>();

  constructor(private readonly now: () => number) {}

  register(binding: HandlerBinding): void {
    this.subs.set(binding.key, {
      handler: binding.key,
      queue: binding.queue,
      routingKeys: binding.routingKeys,
      mode: binding.mode,
      consumed: 0,
      succeeded: 0,
      failed: 0,
      retried: 0,
      deadLettered: 0,
      deduplicated: 0,
    });
    this.recent.set(binding.key, new RecentDurations());
    this.handlerStats.set(binding.key, { handler: binding.key, invocations: 0, successes: 0, failures: 0, events: 0, averageDurationMs: 0, maxDurationMs: 0, totalMs: 0 });
    if (binding.batch) {
      this.batchStats.set(binding.key, { handler: binding.key, batches: 0, events: 0, averageSize: 0, maxSize: 0, flushReasons: { size: 0, time: 0, drain: 0 }, averageWaitMs: 0, totalWaitMs: 0 });
    }
  }

  setPaused(key: string, paused: boolean): void {
    const s = this.subs.get(key);
    if (!s) return;
    if (paused) s.paused = true;
    else delete s.paused;
  }

  consumed: PipelineHooks['consumed'] = (_event, binding) => {
    const s = this.subs.get(binding.key);
    if (s) s.consumed++;
  };

  handled: PipelineHooks['handled'] = (binding, durationMs, outcome, batchSize) => {
    const h = this.handlerStats.get(binding.key);
    const s = this.subs.get(binding.key);
    if (!h || !s) return;
    h.invocations++;
    h.events += batchSize;
    h.totalMs += durationMs;
    h.averageDurationMs = h.totalMs / h.invocations;
    if (durationMs > h.maxDurationMs) h.maxDurationMs = durationMs;
    this.recent.get(binding.key)?.push(durationMs);
    if (outcome === 'success') {
      h.successes++;
      s.succeeded += batchSize;
      s.lastEventAtMs = this.now();
    } else {
      h.failures++;
    }
  };

  failed: PipelineHooks['failed'] = (_event, binding) => {
    if (binding) this.subs.get(binding.key)!.failed++;
  };

  retried: PipelineHooks['retried'] = (_ctx, binding) => {
    const s = this.subs.get(binding.key);
    if (s) s.retried++;
  };

  deadLettered: PipelineHooks['deadLettered'] = (info) => {
    const handler = info.headers['x-handler'];
    const s = typeof handler === 'string' ? this.subs.get(handler) : undefined;
    if (s) s.deadLettered++;
    if (info.headers['x-death-reason'] === 'poison') this.queue(info.queue).poison++;
  };

  deduplicated: PipelineHooks['deduplicated'] = (_event, binding) => {
    const s = this.subs.get(binding.key);
    if (s) s.deduplicated++;
  };

  batchFlushed: PipelineHooks['batchFlushed'] = (binding, size, reason, waitedMs) => {
    const b = this.batchStats.get(binding.key);
    if (!b) return;
    b.batches++;
    b.events += size;
    b.averageSize = b.events / b.batches;
    if (size > b.maxSize) b.maxSize = size;
    b.flushReasons[reason]++;
    b.totalWaitMs += waitedMs;
    b.averageWaitMs = b.totalWaitMs / b.batches;
  };

  settled: PipelineHooks['settled'] = (ctx, settlement: Settlement) => {
    const q = this.queue(ctx.queue);
    q.deliveries++;
    if (settlement === 'ack') q.acked++;
    else if (settlement === 'reject') q.rejected++;
    else q.requeued++;
  };

  private withQuantiles(h: HandlerStats): HandlerStats {
    const recent = this.recent.get(h.handler);
    const p50Ms = recent?.quantile(0.5);
    return p50Ms === undefined ? h : { ...h, p50Ms, p99Ms: recent!.quantile(0.99)! };
  }

  private queue(name: string): QueueStats {
    let q = this.queueStats.get(name);
    if (!q) {
      q = { queue: name, deliveries: 0, acked: 0, rejected: 0, requeued: 0, poison: 0 };
      this.queueStats.set(name, q);
    }
    return q;
  }

  snapshot(connection: HostStats['connection'], skippedPlugins: readonly SkippedPlugin[] = []): HostStats {
    const strip = <T extends object>(o: T, key: string) => {
      const { [key]: _omit, ...rest } = o as Record<string, unknown>;
      return rest as Omit<T, never>;
    };
    return {
      subscriptions: [...this.subs.values()].map(({ lastEventAtMs, ...s }) => (lastEventAtMs === undefined ? s : { ...s, lastEventAt: new Date(lastEventAtMs).toISOString() })),
      batches: [...this.batchStats.values()].map((b) => strip(b, 'totalWaitMs') as BatchStats),
      connection,
      handlers: [...this.handlerStats.values()].map((h) => this.withQuantiles(strip(h, 'totalMs') as HandlerStats)),
      queues: [...this.queueStats.values()].map((q) => ({ ...q })),
      skippedPlugins: skippedPlugins.map((p) => ({ ...p })),
    };
  }
}

/** Fans one hook call out to several observers. */
export function combineHooks(...all: PipelineHooks[]): PipelineHooks {
  const keys = ['consumed', 'handled', 'failed', 'retried', 'deadLettered', 'settled', 'deduplicated', 'batchFlushed', 'published', 'received'] as const;
  const combined: PipelineHooks = {};
  for (const key of keys) {
    const fns = all.map((h) => h[key]).filter((f): f is NonNullable<typeof f> => typeof f === 'function');
    if (fns.length === 0) continue;
    if (fns.length === 1) (combined as Record<string, unknown>)[key] = fns[0];
    else {
      // called for every delivery: no rest arrays, no per-call closures
      const list = fns as unknown as ((a: unknown, b: unknown, c: unknown, d: unknown) => void)[];
      (combined as Record<string, unknown>)[key] = (a: unknown, b: unknown, c: unknown, d: unknown) => {
        for (let i = 0; i < list.length; i++) list[i]!(a, b, c, d);
      };
    }
  }
  return combined;
}
