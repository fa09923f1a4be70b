import type { Registry } from 'prom-client';
import type { HostStats } from '../../observability/stats.ts';

export interface RatePoint {
  /** ms since the epoch */
  t: number;
  in: number;
  out: number;
  retries: number;
  deadLetters: number;
}

interface Totals {
  t: number;
  in: number;
  out: number;
  retries: number;
  deadLetters: number;
  consumed: Map<string, number>;
}

export const SAMPLE_MS = 2_000;
const WINDOW_MS = 15 * 60_000;
// a binding's rate is taken over the last 10 s: steadier than one sample, still live
const BINDING_RATE_SAMPLES = 5;

/**
 * Events/s in (deliveries settled) and out (events published), retries/s and dead letters/s over
 * the last 15 minutes, one point every 2 s, from the totals the host already counts.
 */
export class RateSampler {
  private readonly points: RatePoint[] = [];
  private readonly recent: Totals[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stats: () => HostStats,
    private readonly registry: Registry,
    private readonly now: () => number = Date.now,
  ) {}

  start(onSample?: () => void): void {
    if (this.timer) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample().then(() => onSample?.()), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  series(): RatePoint[] {
    return this.points;
  }

  /** deliveries consumed per second by each binding over the last 10 s */
  bindingRates(): Map<string, number> {
    const rates = new Map<string, number>();
    const last = this.recent[this.recent.length - 1];
    const first = this.recent[0];
    if (!last || !first || last === first) return rates;
    const seconds = (last.t - first.t) / 1000;
    for (const [key, count] of last.consumed) rates.set(key, Math.max(0, (count - (first.consumed.get(key) ?? 0)) / seconds));
    return rates;
  }

  async sample(): Promise<void> {
    const stats = this.stats();
    const totals: Totals = {
      t: this.now(),
      in: stats.queues.reduce((n, q) => n + q.deliveries, 0),
      out: await this.total('stokcerdas_events_published_total'),
      retries: await this.total('stokcerdas_retries_total'),
      deadLetters: await this.total('stokcerdas_dead_letters_total'),
      consumed: new Map(stats.subscriptions.map((s) => [s.handler, s.consumed])),
    };
    const previous = this.recent[this.recent.length - 1];
    this.recent.push(totals);
    if (this.recent.length > BINDING_RATE_SAMPLES + 1) this.recent.shift();
    if (!previous) return;
    const seconds = Math.max(0.001, (totals.t - previous.t) / 1000);
    const rate = (k: 'in' | 'out' | 'retries' | 'deadLetters') => Math.max(0, (totals[k] - previous[k]) / seconds);
    this.points.push({ t: totals.t, in: rate('in'), out: rate('out'), retries: rate('retries'), deadLetters: rate('deadLetters') });
    while (this.points.length > 0 && this.points[0]!.t < totals.t - WINDOW_MS) this.points.shift();
  }

  private async total(name: string): Promise<number> {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    return values.reduce((n, v) => n + v.value, 0);
  }
}
