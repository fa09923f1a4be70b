/**
 * `stokcerdas demo`: the bundled plugins on the embedded transport, fed four weeks of sales
 * history and then one day of shop traffic in WIB, WITA and WIT, on virtual time so deferred
 * notifications, retries and batch flushes happen in seconds. Marketplaces and the notification
 * webhook are local HTTP servers (one of them flaky, so retries show). Ends with a summary.
 */
import { resolve } from 'node:path';
import { loadPlugins } from '../plugins/index.ts';
import { createTestBus, type TestBus } from '../testing/index.ts';
import { createProgress, type Progress, type ProgressStream } from '../terminal/progress.ts';
import { demoConfig, receiver } from './setup.ts';
import { demoTenants, history, oneDay, type DemoEvent } from './traffic.ts';

export interface DemoOptions {
  /** the busy day, a local date (default 2026-03-10: a Tuesday in Ramadan, ten days before Lebaran) */
  day?: string;
  pluginsDir?: string;
  print?: (line: string) => void;
  /** where the progress bars go (the CLI: stderr); none without it */
  progress?: ProgressStream;
}

export interface DemoSummary {
  day: string;
  shopEvents: number;
  forecasts: number;
  reorderSuggestions: number;
  rules: Record<string, number>;
  notifications: Record<string, number>;
  syncs: { target: string; pushed: number; failed: number; retried: number; breakerOpens: number }[];
  webhookRequests: { marketplace: number; flakyMarketplace: number; notifications: number };
  deadLettered: Record<string, number>;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const day = options.day ?? '2026-03-10';
  const print = options.print ?? ((line: string) => console.log(line));
  const servers = await Promise.all([receiver(() => 200), receiver((n) => (Math.floor(n / 5) % 6 !== 1 ? 200 : 503)) /* five failures in a row every 30 requests */, receiver(() => 200)]);
  const [market, flaky, hook] = servers;
  const { plugins, problems } = await loadPlugins({ dir: resolve(options.pluginsDir ?? 'plugins') });
  for (const p of problems) print(`plugin skipped: ${p.error.message}`);

  const past = history(day);
  const today = oneDay(day);
  const bus = await createTestBus({
    plugins: plugins.map((p) => p.definition),
    now: past[0]!.at - 60_000,
    // real HTTP and worker-thread fits take real time: never let virtual time outrun them
    stallMs: 5_000,
    config: {
      retry: { maxAttempts: 5, delayMs: 2_000, multiplier: 2, maxDelayMs: 60_000 },
      ...demoConfig(
        { market: market.url, flaky: flaky.url, hook: hook.url },
        { retry: { maxAttempts: 6, delayMs: 1000, multiplier: 2, maxDelayMs: 30_000 }, breaker: { failureThreshold: 3, cooldownMs: 10_000, maxCooldownMs: 60_000 } },
      ),
    },
  });

  try {
    print(`demo: ${plugins.length} plugins (${plugins.map((p) => p.name).join(', ')}) on the memory transport, virtual time`);
    print(`demo: feeding ${past.length} history events (4 weeks) and ${today.length} events of ${day} for ${demoTenants.map((t) => `${t.name} (${t.timezone})`).join(', ')}`);
    await feed(bus, past, options.progress && createProgress('history', past.length, options.progress));
    await feed(bus, today, options.progress && createProgress(day, today.length, options.progress));
    // the next two days: deferred notifications come due, retries and breaker probes finish
    const after = options.progress && createProgress('the 48 hours after', 48, options.progress);
    for (let h = 0; h < 48; h++) {
      await bus.advance(3_600_000);
      after?.update(h + 1);
    }
    after?.finish('deferred messages, retries and probes done');
    const summary = summarise(bus, day, today.length, { market: market.count(), flaky: flaky.count(), hook: hook.count() });
    for (const line of describe(summary)) print(line);
    return summary;
  } finally {
    await bus.close();
    await Promise.all(servers.map((s) => s.close()));
  }
}

async function feed(bus: TestBus, events: DemoEvent[], progress?: Progress): Promise<void> {
  let n = 0;
  for (const e of events) {
    const wait = e.at - bus.clock.now();
    if (wait > 0) await bus.advance(wait);
    await bus.publish(e.type, e.data, { tenantId: e.tenantId, time: e.at });
    progress?.update(++n);
  }
  await bus.advance(5_000);
  progress?.finish(`${events.length} events published`);
}

function summarise(bus: TestBus, day: string, shopEvents: number, requests: { market: number; flaky: number; hook: number }): DemoSummary {
  const count = (type: string) => bus.published.filter((e) => e.type === type).length;
  const rules: Record<string, number> = {};
  for (const e of bus.published) if (e.type.startsWith('indonesian.business.')) rules[e.type.slice('indonesian.business.'.length)] = (rules[e.type.slice('indonesian.business.'.length)] ?? 0) + 1;
  const notifications = tryResolve<{ stats(): Record<string, number> }>(bus, 'notifications')?.stats() ?? {};
  const sync = tryResolve<{ status(): { name: string; pushed: number; failed: number; opens: number }[] }>(bus, 'integration-sync')?.status() ?? [];
  const retried = new Map(bus.host.stats().subscriptions.map((s) => [s.handler, s.retried]));
  const deadLettered: Record<string, number> = {};
  for (const d of bus.deadLettered) {
    const key = `${String(d.headers['x-death-reason'])} (${String(d.headers['x-handler'])})`;
    deadLettered[key] = (deadLettered[key] ?? 0) + 1;
  }
  return {
    day,
    shopEvents,
    forecasts: count('analytics.forecast.updated'),
    reorderSuggestions: count('inventory.alert.reorder.suggested'),
    rules,
    notifications: Object.fromEntries(Object.entries(notifications).filter(([, v]) => typeof v === 'number')),
    syncs: sync.map((t) => ({ target: t.name, pushed: t.pushed, failed: t.failed, retried: retried.get(`integration-sync/to-${t.name}`) ?? 0, breakerOpens: t.opens })),
    webhookRequests: { marketplace: requests.market, flakyMarketplace: requests.flaky, notifications: requests.hook },
    deadLettered,
  };
}

function describe(s: DemoSummary): string[] {
  const lines = [
    '',
    `── StokCerdas demo summary for ${s.day} ──`,
    `shop events published       ${s.shopEvents}`,
    `forecasts made              ${s.forecasts}   (reorder suggestions: ${s.reorderSuggestions})`,
    `business rules applied      ${Object.entries(s.rules).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `notifications               sent ${s.notifications.sent ?? 0}, deferred to business hours ${s.notifications.deferred ?? 0}, released ${s.notifications.released ?? 0}, repeats suppressed ${s.notifications.suppressed ?? 0}, webhook deliveries ${s.notifications.webhookDelivered ?? 0}`,
  ];
  for (const t of s.syncs) lines.push(`sync → ${t.target.padEnd(18)} pushed ${t.pushed}, failed attempts ${t.failed}, retried ${t.retried}, breaker opened ${t.breakerOpens}×`);
  lines.push(`dead letters                ${Object.entries(s.deadLettered).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  lines.push(JSON.stringify({ demo: s }));
  return lines;
}

function tryResolve<T>(bus: TestBus, name: string): T | undefined {
  try {
    return bus.resolve<T>(name);
  } catch {
    return undefined;
  }
}
