import { Counter, Histogram, Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeanCounter, LeanHistogram } from '../../../runtime/observability/lean-series.ts';
import { Metrics, type PublishKind } from '../../../runtime/observability/metrics.ts';
import type { DeliveryContext, HandlerBinding } from '../../../runtime/pipeline/types.ts';
import type { Settlement } from '../../../runtime/transport/contract.ts';

const HOT = [
  'stokcerdas_deliveries_total',
  'stokcerdas_handler_duration_seconds',
  'stokcerdas_events_published_total',
  'stokcerdas_publishes_total',
  'stokcerdas_publish_confirm_duration_seconds',
];

/** The hot families built the way metrics.ts built them before: prom-client's own classes. */
function promClientReference() {
  const registry = new Registry();
  const registers = [registry];
  const deliveries = new Counter({ name: 'stokcerdas_deliveries_total', help: 'Deliveries settled, by queue and settlement', labelNames: ['queue', 'settlement'], registers });
  const handlerDuration = new Histogram({
    name: 'stokcerdas_handler_duration_seconds',
    help: 'Handler call duration',
    labelNames: ['handler', 'outcome'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers,
  });
  const published = new Counter({ name: 'stokcerdas_events_published_total', help: 'Events published and confirmed', registers });
  const publishes = new Counter({
    name: 'stokcerdas_publishes_total',
    help: 'Broker publishes by kind (event, retry, dead-letter) and outcome (confirmed, failed)',
    labelNames: ['kind', 'outcome'],
    registers,
  });
  const confirmDuration = new Histogram({
    name: 'stokcerdas_publish_confirm_duration_seconds',
    help: 'Time from publish to the broker confirm (one observation per publish call or batch)',
    labelNames: ['kind'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers,
  });
  return { registry, deliveries, handlerDuration, published, publishes, confirmDuration };
}

/** `# HELP name …` block of each family in the exposition text, by name */
function families(text: string): Map<string, string> {
  const byName = new Map<string, string>();
  for (const block of text.trimEnd().split('\n\n')) byName.set(block.split('\n')[0]!.split(' ')[2]!, block);
  return byName;
}

const ctx = (queue: string) => ({ queue }) as DeliveryContext;
const binding = (key: string) => ({ key }) as HandlerBinding;
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Drives the same deliveries and publishes into Metrics and into the prom-client reference. */
function recorder() {
  const metrics = new Metrics();
  const ref = promClientReference();
  let clock = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  return {
    metrics,
    ref,
    settled(queue: string, settlement: Settlement) {
      metrics.hooks.settled!(ctx(queue), settlement, 1);
      ref.deliveries.labels(queue, settlement).inc();
    },
    handled(handler: string, ms: number, outcome: 'success' | 'failure') {
      metrics.hooks.handled!(binding(handler), ms, outcome, 1);
      ref.handlerDuration.labels(handler, outcome).observe(ms / 1000);
    },
    async publish(kind: PublishKind, count: number, confirmMs: number, outcome: 'confirmed' | 'failed' = 'confirmed') {
      const started = clock;
      let settle!: (ok: boolean) => void;
      const run = () => new Promise<void>((resolve, reject) => (settle = (ok) => (ok ? resolve() : reject(new Error('nack')))));
      const done = metrics.observePublish(kind, count, run).catch(() => undefined);
      clock = started + confirmMs;
      settle(outcome === 'confirmed');
      await done;
      await flush();
      if (outcome === 'confirmed') {
        ref.confirmDuration.labels(kind).observe((clock - started) / 1000);
        ref.publishes.labels(kind, 'confirmed').inc(count);
      } else ref.publishes.labels(kind, 'failed').inc(count);
    },
    eventPublished() {
      metrics.published.inc();
      ref.published.inc();
    },
  };
}

async function mixedTraffic(r: ReturnType<typeof recorder>) {
  r.settled('stokcerdas.orders.processing', 'ack');
  r.handled('business-rules/stock-check', 3, 'success');
  r.handled('business-rules/stock-check', 0.5, 'success'); //   exactly on the 0.0005 bound
  r.handled('notifications/alert', 12.25, 'failure');
  r.handled('business-rules/stock-check', 40_000, 'success'); // past the last bound: +Inf only
  r.handled('notifications/alert', 0.1 + 0.2, 'success');
  for (let i = 0; i < 5; i++) r.settled('stokcerdas.inventory.stock.updates', i % 2 ? 'reject' : 'ack');
  r.settled('stokcerdas.orders.processing', 'requeue');
  await r.publish('retry', 0, 0.7); //                            an empty batch still shows its series
  await r.publish('event', 1, 1.8);
  await r.publish('event', 50, 7);
  await r.publish('dead-letter', 1, 2, 'failed');
  await r.publish('dead-letter', 1, 900);
  await r.publish('event', 1, 6_000, 'failed');
  r.eventPublished();
  r.eventPublished();
}

describe('Metrics on the delivery and publish paths', () => {
  beforeEach(() => vi.restoreAllMocks());
  afterEach(() => vi.restoreAllMocks());

  it('shows the same /metrics text as prom-client Counter and Histogram for the same observations', async () => {
    const r = recorder();
    await mixedTraffic(r);
    const lean = families(await r.metrics.text());
    const ref = families(await r.ref.registry.metrics());
    for (const name of HOT) expect(lean.get(name), name).toBe(ref.get(name));
  });

  it('puts a 3 ms handler call in le=0.005 and every bucket above it, with +Inf, sum and count', async () => {
    const metrics = new Metrics();
    metrics.hooks.handled!(binding('p/h'), 3, 'success', 1);
    metrics.hooks.handled!(binding('p/h'), 0.8, 'success', 1);
    metrics.hooks.handled!(binding('p/h'), 31_000, 'success', 1);
    const lines = families(await metrics.text()).get('stokcerdas_handler_duration_seconds')!.split('\n');
    const at = (le: string) => lines.find((l) => l.startsWith(`stokcerdas_handler_duration_seconds_bucket{le="${le}",`))!.split(' ')[1];
    expect([at('0.0005'), at('0.001'), at('0.005'), at('0.01'), at('30'), at('+Inf')]).toEqual(['0', '1', '2', '2', '2', '3']);
    expect(lines).toContain('stokcerdas_handler_duration_seconds_bucket{le="0.005",handler="p/h",outcome="success"} 2');
    expect(lines).toContain('stokcerdas_handler_duration_seconds_sum{handler="p/h",outcome="success"} 31.0038');
    expect(lines).toContain('stokcerdas_handler_duration_seconds_count{handler="p/h",outcome="success"} 3');
  });

  it('shows a series from its first observation, in first-observation order', async () => {
    const r = recorder();
    expect(families(await r.metrics.text()).get('stokcerdas_publishes_total')).toBe(
      '# HELP stokcerdas_publishes_total Broker publishes by kind (event, retry, dead-letter) and outcome (confirmed, failed)\n# TYPE stokcerdas_publishes_total counter',
    );
    await r.publish('event', 2, 1);
    r.settled('q.b', 'ack');
    r.settled('q.a', 'ack');
    r.settled('q.b', 'ack');
    const text = families(await r.metrics.text());
    expect(text.get('stokcerdas_publishes_total')).toMatch(/counter\nstokcerdas_publishes_total\{kind="event",outcome="confirmed"\} 2$/);
    expect(text.get('stokcerdas_deliveries_total')!.split('\n').slice(2)).toEqual([
      'stokcerdas_deliveries_total{queue="q.b",settlement="ack"} 2',
      'stokcerdas_deliveries_total{queue="q.a",settlement="ack"} 1',
    ]);
    expect(text.get('stokcerdas_events_published_total')).toMatch(/\nstokcerdas_events_published_total 0$/);
  });

  it('keeps the family order of /metrics', async () => {
    const names = [...families(await new Metrics().text()).keys()];
    expect(names).toEqual([
      'stokcerdas_deliveries_total',
      'stokcerdas_handler_duration_seconds',
      'stokcerdas_retries_total',
      'stokcerdas_dead_letters_total',
      'stokcerdas_deduplicated_total',
      'stokcerdas_batch_size',
      'stokcerdas_events_published_total',
      'stokcerdas_publishes_total',
      'stokcerdas_publish_confirm_duration_seconds',
    ]);
  });

  it('gives getMetricsAsJSON the objects prom-client gives', async () => {
    const r = recorder();
    await mixedTraffic(r);
    r.metrics.registry.setDefaultLabels({ host: 'h1' });
    r.ref.registry.setDefaultLabels({ host: 'h1' });
    const lean = (await r.metrics.registry.getMetricsAsJSON()).filter((m) => HOT.includes(m.name));
    // stringified, so the key order of the labels (le first, then the series') counts too
    expect(JSON.stringify(lean)).toBe(JSON.stringify(await r.ref.registry.getMetricsAsJSON()));
    // default labels on the text path too
    const text = families(await r.metrics.text());
    const ref = families(await r.ref.registry.metrics());
    for (const name of HOT) expect(text.get(name), name).toBe(ref.get(name));
  });

  it('resets as prom-client does: labelled series vanish, the unlabelled counter goes back to 0', async () => {
    const r = recorder();
    await mixedTraffic(r);
    r.metrics.registry.resetMetrics();
    r.ref.registry.resetMetrics();
    const afterReset = families(await r.metrics.text());
    const refAfterReset = families(await r.ref.registry.metrics());
    for (const name of HOT) expect(afterReset.get(name), name).toBe(refAfterReset.get(name));
    expect(afterReset.get('stokcerdas_events_published_total')).toMatch(/\nstokcerdas_events_published_total 0$/);
    await mixedTraffic(r);
    const again = families(await r.metrics.text());
    const refAgain = families(await r.ref.registry.metrics());
    for (const name of HOT) expect(again.get(name), name).toBe(refAgain.get(name));
  });

  it('refuses what prom-client refuses: non-finite observations and negative increments', () => {
    const registers = [new Registry()];
    const histogram = new LeanHistogram({ name: 'h_seconds', help: 'h', labelNames: ['a'], buckets: [1], registers });
    const counter = new LeanCounter({ name: 'c_total', help: 'c', labelNames: ['a'], registers });
    expect(() => histogram.labels('x').observe(Number.NaN)).toThrow(TypeError);
    expect(() => histogram.labels('x').observe(Number.POSITIVE_INFINITY)).toThrow('Value is not a valid number: Infinity');
    expect(() => counter.labels('x').inc(-1)).toThrow('It is not possible to decrease a counter');
    expect(() => counter.labels('x', 'y')).toThrow(/label values/);
  });
});
