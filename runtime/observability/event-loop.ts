import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopDelay {
  /** milliseconds the loop ran late, over the current and the previous window */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Every sample since start(): what a Prometheus summary's `_count` and `_sum` need (never reset). */
export interface EventLoopTotals {
  samples: number;
  delaySumMs: number;
}

const RESOLUTION_MS = 20;

/**
 * Event-loop delay over a sliding pair of windows (for /healthz and the metrics). The histogram
 * samples a timer every RESOLUTION_MS and records when it fired: the resolution itself is not
 * delay, so it is subtracted.
 */
export class EventLoopMonitor {
  private histogram?: IntervalHistogram;
  private timer?: NodeJS.Timeout;
  private previous: EventLoopDelay = { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  /** the windows already reset, folded in */
  private past: EventLoopTotals = { samples: 0, delaySumMs: 0 };

  constructor(private readonly windowMs = 5_000) {}

  start(): void {
    if (this.histogram) return;
    const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    this.histogram = histogram;
    this.timer = setInterval(() => {
      this.previous = read(histogram);
      this.past = addTotals(this.past, histogram);
      histogram.reset();
    }, this.windowMs);
    this.timer.unref();
  }

  snapshot(): EventLoopDelay {
    const current = this.histogram ? read(this.histogram) : { p50Ms: 0, p99Ms: 0, maxMs: 0 };
    return {
      p50Ms: Math.max(current.p50Ms, this.previous.p50Ms),
      p99Ms: Math.max(current.p99Ms, this.previous.p99Ms),
      maxMs: Math.max(current.maxMs, this.previous.maxMs),
    };
  }

  totals(): EventLoopTotals {
    return this.histogram ? addTotals(this.past, this.histogram) : { ...this.past };
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram?.disable();
    this.histogram = undefined;
  }
}

function addTotals(t: EventLoopTotals, h: IntervalHistogram): EventLoopTotals {
  if (h.count === 0) return t;
  // the mean includes the resolution each sample waited on purpose, as the percentiles do
  const delayMs = Math.max(0, h.mean / 1e6 - RESOLUTION_MS) * h.count;
  return { samples: t.samples + h.count, delaySumMs: t.delaySumMs + delayMs };
}

function read(h: IntervalHistogram): EventLoopDelay {
  // an empty histogram (no sample yet) reports min = 9.2e18 and NaN-like percentiles
  if (h.count === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  return { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
}
