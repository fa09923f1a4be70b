import type { Metric, Registry } from 'prom-client';
import type { EventLoopDelay, EventLoopTotals } from './event-loop.ts';

const NAME = 'stokcerdas_event_loop_delay_seconds';
const HELP = 'How late the main event loop ran: quantiles over the last 5–10 s (1 = the max); sum and count over every 20 ms sample since start';

/** What prom-client's Summary `get()` returns (lib/summary.js), the shape the registry prints. */
interface SummaryValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * The event-loop delay as a Prometheus summary: quantiles 0.5, 0.99 and 1 over the monitor's last
 * 5–10 s, `_sum` and `_count` over every sample since start. prom-client's own Summary computes
 * quantiles from values handed to it one by one; Node's loop monitor already keeps them in its own
 * histogram, so this gives the registry the finished numbers at scrape time. A gauge with a
 * `quantile` label is what promtool rejects ("non-summary metrics should not have quantile label").
 */
export function registerEventLoopSummary(registry: Registry, delay: () => EventLoopDelay, totals: () => EventLoopTotals): void {
  const metric = {
    name: NAME,
    help: HELP,
    type: 'summary',
    aggregator: 'sum',
    labelNames: [] as string[],
    get() {
      const d = delay();
      const t = totals();
      const values: SummaryValue[] = [
        { labels: { quantile: 0.5 }, value: d.p50Ms / 1000 },
        { labels: { quantile: 0.99 }, value: d.p99Ms / 1000 },
        { labels: { quantile: 1 }, value: d.maxMs / 1000 },
        { metricName: `${NAME}_sum`, labels: {}, value: t.delaySumMs / 1000 },
        { metricName: `${NAME}_count`, labels: {}, value: t.samples },
      ];
      return Promise.resolve({ name: NAME, help: HELP, type: 'summary', aggregator: 'sum', values });
    },
    reset(): void {},
  };
  // the Registry reads only name, type, help, get() and reset(); its typings list prom-client's classes
  registry.registerMetric(metric as unknown as Metric);
}
