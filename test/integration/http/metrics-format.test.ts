import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, definePlugin, type Host } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';
import { request } from '../../support/http.ts';

/**
 * /metrics of a live host on RabbitMQ (Node's default metrics included, every family touched:
 * deliveries, a retry, a dead letter, publishes) read as Prometheus reads it: the exposition
 * format's own rules, and Prometheus' linter `promtool check metrics` (Debian package
 * `prometheus`) where it is installed; CI installs it, and there its absence is a failure.
 */
const prefix = uniquePrefix('metrics-format');
let url: string;
let host: Host;
let port: number;
const seen = new Set<string>();

const plugin = definePlugin({
  name: 'lint',
  version: '1.0.0',
  handlers: {
    orders: {
      subscribe: { routingKeys: ['orders.#'] },
      retry: { maxAttempts: 2, delayMs: 50 },
      handle: (event) => {
        seen.add(event.id);
        if (event.data.orderData.id === 'O-bad') throw new Error('always fails: retried once, then dead-lettered');
      },
    },
  },
});

const scrape = async () => (await request(port, 'GET', '/metrics')).text;

beforeAll(async () => {
  url = await getBrokerUrl();
  host = createHost({ broker: { url, prefix }, http: { port: 0 } }, { plugins: [plugin], logger: silentLogger });
  await host.start();
  port = host.httpAddress()!.port;
  await host.publish('orders.order.created', { orderData: { id: 'O-ok' } });
  await host.publish('orders.order.created', { orderData: { id: 'O-bad' } });
  await waitFor(async () => /stokcerdas_dead_letters_total\{[^}]*\} 1/.test(await scrape()), 20_000, 'the failing event dead-lettered');
});

afterAll(async () => {
  await host?.stop();
  await deleteByPrefix(url, prefix);
});

/** `# TYPE` of every family, and every sample line's metric name and labels. */
function parse(text: string) {
  const types = new Map<string, string>();
  const samples: { name: string; labels: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (sample) samples.push({ name: sample[1]!, labels: sample[2] ?? '', value: Number(sample[3]) });
  }
  return { types, samples };
}

describe('/metrics format (RabbitMQ host)', () => {
  it('the event-loop delay is a summary: quantiles 0.5, 0.99, 1 and a _sum and _count that only grow', async () => {
    const first = parse(await scrape());
    expect(first.types.get('stokcerdas_event_loop_delay_seconds')).toBe('summary');
    const loop = (p: ReturnType<typeof parse>) => p.samples.filter((s) => s.name.startsWith('stokcerdas_event_loop_delay_seconds'));
    expect(loop(first).map((s) => `${s.name}${s.labels}`)).toEqual([
      'stokcerdas_event_loop_delay_seconds{quantile="0.5"}',
      'stokcerdas_event_loop_delay_seconds{quantile="0.99"}',
      'stokcerdas_event_loop_delay_seconds{quantile="1"}',
      'stokcerdas_event_loop_delay_seconds_sum',
      'stokcerdas_event_loop_delay_seconds_count',
    ]);
    const [p50, p99, max] = loop(first).map((s) => s.value);
    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p99).toBeGreaterThanOrEqual(p50!);
    expect(max).toBeGreaterThanOrEqual(p99!);
    await new Promise((r) => setTimeout(r, 300)); // the monitor samples every 20 ms
    const second = parse(await scrape());
    const count = (p: ReturnType<typeof parse>) => p.samples.find((s) => s.name === 'stokcerdas_event_loop_delay_seconds_count')!.value;
    const sum = (p: ReturnType<typeof parse>) => p.samples.find((s) => s.name === 'stokcerdas_event_loop_delay_seconds_sum')!.value;
    expect(count(first)).toBeGreaterThan(0);
    expect(count(second)).toBeGreaterThanOrEqual(count(first) + 5);
    expect(sum(second)).toBeGreaterThanOrEqual(sum(first));
  });

  it('only summaries carry a quantile label, only counters end in _total, and the skipped-plugins gauge is there', async () => {
    const { types, samples } = parse(await scrape());
    expect(types.size).toBeGreaterThan(30); // Node's default metrics are in
    for (const s of samples.filter((x) => x.labels.includes('quantile='))) {
      expect(types.get(s.name), s.name).toBe('summary');
    }
    for (const [name, type] of types) if (name.endsWith('_total')) expect(type, name).toBe('counter');
    expect(types.get('stokcerdas_plugins_skipped')).toBe('gauge');
    expect(samples.find((s) => s.name === 'stokcerdas_plugins_skipped')?.value).toBe(0);
  });

  it('promtool check metrics passes on the live output', async (ctx) => {
    const text = await scrape();
    const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (run.error) {
      // CI installs promtool (.ci/docker-smoke.sh): there a missing one is a failure, not a skip
      if (process.env.CI) throw new Error('promtool is not installed (apt-get install -y prometheus)');
      ctx.skip('promtool is not installed (apt-get install -y prometheus)');
    }
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
    // the families the lint must have seen, so a pass means something
    for (const family of ['stokcerdas_deliveries_total', 'stokcerdas_retries_total', 'stokcerdas_dead_letters_total', 'stokcerdas_handler_duration_seconds_bucket', 'stokcerdas_process_cpu_seconds_total']) {
      expect(text).toContain(family);
    }
  });
});
