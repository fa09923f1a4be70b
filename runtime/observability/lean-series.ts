import type { Metric, Registry } from 'prom-client';

/**
 * Counters and histograms for the per-delivery and per-publish series. prom-client 15 validates and
 * re-hashes the label values on every `inc()`/`observe()`, even through a cached `labels()` child
 * (~0.3 µs and several small objects each time); these keep plain numbers per series instead and
 * hand the registry, at scrape time, the same objects prom-client's own Counter and Histogram
 * `get()` return (lib/counter.js, lib/histogram.js), so `/metrics` and `getMetricsAsJSON()` read
 * the same byte for byte.
 *
 * Series show in the order of their first observation and not before it, as in prom-client: a
 * `labels()` child alone exposes nothing.
 */

type Labels = Record<string, string>;

interface FamilyConfig {
  name: string;
  help: string;
  labelNames?: readonly string[];
  registers: Registry[];
}

/** prom-client's own value checks, with its messages: a bad number must fail as loudly as before */
function checkFinite(value: number): void {
  if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${String(value)}`);
}

abstract class Family<S extends { labels: Labels; live: boolean }> {
  // not readonly: an OpenMetrics registry renames counters in place (registry.js standardizeCounterName)
  name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly aggregator = 'sum';
  protected live: S[] = [];
  private readonly byValues = new Map<string, S>();

  constructor(config: FamilyConfig) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames ?? [];
    // the Registry only reads name, type, get()/getForPromString() and reset(); its typings list prom-client's classes
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  protected abstract create(labels: Labels): S;

  /** look the child up once and keep it: this is the slow path */
  labels(...values: string[]): S {
    if (values.length !== this.labelNames.length) {
      throw new Error(`${this.name}: ${values.length} label values for label names "${this.labelNames.join(', ')}"`);
    }
    const key = values.join('\u0000');
    let series = this.byValues.get(key);
    if (!series) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]!));
      this.byValues.set(key, (series = this.create(labels)));
    }
    return series;
  }

  /** called by a series on its first observation since start or reset */
  show(series: S): void {
    series.live = true;
    this.live.push(series);
  }

  abstract reset(): void;
}

export class CounterSeries {
  value = 0;
  live = false;
  constructor(
    readonly labels: Labels,
    private readonly family: LeanCounter,
  ) {}

  inc(value = 1): void {
    // as counter.js: a falsy value (0, NaN) passes unchecked
    if (value) checkFinite(value);
    if (value < 0) throw new Error('It is not possible to decrease a counter');
    this.value += value;
    if (!this.live) this.family.show(this);
  }
}

export class LeanCounter extends Family<CounterSeries> {
  readonly type = 'counter';
  /** the one series of a counter without labels, shown from the start like prom-client's */
  private readonly plain: CounterSeries | undefined;

  constructor(config: FamilyConfig) {
    super(config);
    if (this.labelNames.length === 0) this.show((this.plain = this.labels()));
  }

  protected create(labels: Labels): CounterSeries {
    return new CounterSeries(labels, this);
  }

  /** for a counter without labels */
  inc(value = 1): void {
    if (!this.plain) throw new Error(`${this.name} has labels: call labels(...).inc()`);
    this.plain.inc(value);
  }

  reset(): void {
    for (const series of this.live) {
      series.value = 0;
      series.live = series === this.plain;
    }
    this.live = this.plain ? [this.plain] : [];
  }

  async get() {
    return {
      help: this.help,
      name: this.name,
      type: this.type,
      values: this.live.map((s) => ({ value: s.value, labels: s.labels })),
      aggregator: this.aggregator,
    };
  }
}

export class HistogramSeries {
  /** observations per bucket, not cumulative: cumulated at scrape time */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  live = false;
  constructor(
    readonly labels: Labels,
    private readonly family: LeanHistogram,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length);
  }

  observe(value: number): void {
    checkFinite(value);
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    // past the last bound it counts only in +Inf, which is `count`
    if (i < bounds.length) this.counts[i]!++;
    this.sum += value;
    this.count += 1;
    if (!this.live) this.family.show(this);
  }
}

/** A histogram with labels (every one here has them); buckets as given, like prom-client. */
export class LeanHistogram extends Family<HistogramSeries> {
  readonly type = 'histogram';
  readonly upperBounds: readonly number[];

  constructor(config: FamilyConfig & { buckets: readonly number[] }) {
    super(config);
    this.upperBounds = Object.freeze([...config.buckets]);
  }

  protected create(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this, this.upperBounds);
  }

  reset(): void {
    for (const series of this.live) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
      series.live = false;
    }
    this.live = [];
  }

  /** the registry's text path: series labels stay shared, `le` first, as histogram.js exports them */
  async getForPromString() {
    const bucket = `${this.name}_bucket`;
    const values: Array<{ labels: Record<string, string | number>; sharedLabels: Labels; value: number; metricName: string; exemplar: null | undefined }> = [];
    for (const s of this.live) {
      let cumulative = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        cumulative += s.counts[i]!;
        values.push({ labels: { le: this.upperBounds[i]! }, sharedLabels: s.labels, value: cumulative, metricName: bucket, exemplar: null });
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: null });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count`, exemplar: undefined });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** the JSON path: shared labels folded into each sample's own, after `le` (histogram.js splayLabels) */
  async get() {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...sample }) => ({ ...sample, labels: { ...labels, ...sharedLabels } })),
    };
  }
}
