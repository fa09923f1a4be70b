import type { Registry } from 'prom-client';
import type { ResolvedConfig } from '../../../config/schema.ts';
import type { PauseControl as BindingControl } from '../../host/pause-control.ts';
import type { WorkerGaugeStats } from '../../observability/metrics.ts';
import type { HostStats } from '../../observability/stats.ts';
import type { ResolvedBinding } from '../../plugins/index.ts';
import { buildTopology } from '../../topology/build.ts';
import { dlqName, prefixed, retryQueueName } from '../../topology/names.ts';
import type { Transport } from '../../transport/contract.ts';
import type { Readiness } from '../readiness.ts';

/** A binding as the console shows it: the resolved settings and the queues that belong to it. */
export interface ConsoleBinding {
  key: string;
  plugin: string;
  handler: string;
  /** prefixed */
  queue: string;
  mode: 'inline' | 'worker';
  batch?: { size: number; flushMs: number };
  prefetch: number;
  concurrency: number;
  maxAttempts: number;
  /** the broker-held wait queues of the binding's queue, shortest delay first */
  retryQueues: Array<{ name: string; delayMs: number }>;
  dlq: string;
}

export type ConsoleTransport = Pick<Transport, 'kind' | 'durable' | 'status' | 'get' | 'publish' | 'queueInfo' | 'purge'>;

/** What the console reads from the host: narrow, so the console is tested with a host or alone. */
export interface ConsoleSource {
  /** `hostname/pid`, as in `x-host` */
  hostName: string;
  startedAt: number;
  /** where the transport points, with any password masked */
  broker: string;
  transport: ConsoleTransport;
  readiness(): Readiness;
  stats(): HostStats;
  workers(): WorkerGaugeStats | undefined;
  /** the host's Prometheus registry: the totals the charts follow are read from it */
  registry: Registry;
  /** empty until the plugins are loaded */
  bindings(): ConsoleBinding[];
  /** every DLQ of the topology */
  dlqs(): string[];
  control: BindingControl;
}

/** The bindings and DLQs of a running host, in the names the broker knows them by. */
export function describeTopology(bindings: ResolvedBinding[], config: Pick<ResolvedConfig, 'broker' | 'retry'>): { bindings: ConsoleBinding[]; dlqs: string[] } {
  const prefix = config.broker.prefix;
  const enabled = bindings.filter((b) => b.enabled);
  const topology = buildTopology(enabled, { prefix, queueType: config.broker.queueType, defaultRetry: config.retry });
  const names = new Set(topology.queues.map((q) => q.name));
  const rows = enabled.map((b): ConsoleBinding => {
    const queue = prefixed(prefix, b.queue);
    const tier = `${queue}.retry.`;
    const retryQueues = [...names]
      .filter((n) => n.startsWith(tier) && n === retryQueueName(queue, Number(n.slice(tier.length, -2))))
      .map((name) => ({ name, delayMs: Number(name.slice(tier.length, -2)) }))
      .sort((a, b) => a.delayMs - b.delayMs);
    return {
      key: b.key,
      plugin: b.plugin,
      handler: b.handler,
      queue,
      mode: b.mode,
      ...(b.batch ? { batch: { size: b.batch.size, flushMs: b.batch.flushMs } } : {}),
      prefetch: b.prefetch,
      concurrency: b.concurrency,
      maxAttempts: b.retry.maxAttempts,
      retryQueues,
      dlq: dlqName(queue),
    };
  });
  return { bindings: rows, dlqs: [...names].filter((n) => n.endsWith('.dlq')).sort() };
}

/** describeTopology once the bindings are known, computed once per binding list. */
export function lazyTopology(current: () => ResolvedBinding[] | undefined, config: Pick<ResolvedConfig, 'broker' | 'retry'>): () => { bindings: ConsoleBinding[]; dlqs: string[] } {
  let seen: ResolvedBinding[] | undefined;
  let view = { bindings: [] as ConsoleBinding[], dlqs: [] as string[] };
  return () => {
    const now = current();
    if (now && now !== seen) {
      seen = now;
      view = describeTopology(now, config);
    }
    return view;
  };
}
