/**
 * `stokcerdas demo --live`: the host of `stokcerdas start`, with the bundled plugins wired to
 * local marketplaces and a webhook, fed the demo's traffic in real time so a person can watch it
 * in the console (/ui). One marketplace goes down for a while (its syncs are retried, then
 * dead-lettered) and refuses some orders outright: the console then has dead letters of two
 * reasons, and the outage's replay cleanly once it is over.
 */
import type { ResolvedConfig } from '../../config/schema.ts';
import { createHost } from '../host/host.ts';
import { createLogger } from '../observability/logger.ts';
import { createProgress, type ProgressStream } from '../terminal/progress.ts';
import { demoConfig, receiver } from './setup.ts';
import { history, oneDay, type DemoEvent } from './traffic.ts';

export interface LiveDemoOptions {
  config: ResolvedConfig;
  /** how long the day's traffic takes (default 3 minutes) */
  minutes?: number;
  day?: string;
  print?: (line: string) => void;
  progress?: ProgressStream;
  /** resolves when the person is done (the CLI: SIGINT or SIGTERM) */
  until: Promise<unknown>;
  /** run the next day's traffic after each day, until stopped (`stokcerdas start --demo`) */
  repeat?: boolean;
}

// the outage starts at this share of the day's run and lasts a fifth of it, 30 s at least: longer
// than a sync's retry (after 2 s), so many run out
const OUTAGE = { from: 0.3, share: 0.2, minMs: 30_000 };

export async function runLiveDemo(options: LiveDemoOptions): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  const runMs = (options.minutes ?? 3) * 60_000;
  const day = options.day ?? '2026-03-10';
  let down = false;
  const servers = await Promise.all([
    receiver(() => 200),
    // while down it answers 503; it never knew orders numbered …7 (taken offline) and refuses them for good
    receiver((_n, body) => (down ? 503 : /"toko-[a-z]+-\d*7"/.test(body) ? 422 : 200)),
    receiver(() => 200),
  ]);
  const [market, flaky, hook] = servers;
  const wiring = demoConfig(
    { market: market.url, flaky: flaky.url, hook: hook.url },
    // one retry, no kill switch and room to drain its backlog: an outage dead-letters, not just delays
    { retry: { maxAttempts: 2, delayMs: 2_000, multiplier: 2, maxDelayMs: 10_000 }, breaker: { failureThreshold: 1_000, cooldownMs: 5_000, maxCooldownMs: 20_000 }, rateLimit: { perSecond: 50, burst: 100 } },
  );
  const config = {
    ...options.config,
    context: { ...options.config.context, ...wiring.context },
    plugins: { ...options.config.plugins, options: { ...options.config.plugins.options, ...wiring.plugins.options } },
  };
  // the failures are the show, and the console shows each: the terminal keeps to the progress bars
  const host = createHost(config, { logger: createLogger({ level: 'fatal' }) });
  try {
    await host.start();
    const address = host.httpAddress();
    print(address ? `console: http://${address.host}:${address.port}/ui` : 'http.enabled is false: no console to watch');
    const past = history(day);
    const today = oneDay(day);
    let stopped = false;
    void options.until.then(() => (stopped = true));
    await send(host, past, 0, () => stopped, options.progress && createProgress('history (4 weeks, fast)', past.length, options.progress));
    for (let round = 0; !stopped && (round === 0 || options.repeat); round++) {
      const date = round === 0 ? day : new Date(Date.parse(`${day}T00:00:00Z`) + round * 86_400_000).toISOString().slice(0, 10);
      const traffic = round === 0 ? today : oneDay(date, 11 + round);
      const timer = setTimeout(() => {
        down = true;
        print('demo: the shopee marketplace is down: its syncs retry, then go to the dead-letter queue');
      }, runMs * OUTAGE.from);
      const back = setTimeout(() => {
        down = false;
        print('demo: shopee is back: replay its retries-exhausted dead letters from the console');
      }, runMs * OUTAGE.from + Math.max(OUTAGE.minMs, runMs * OUTAGE.share));
      try {
        await send(host, traffic, runMs, () => stopped, options.progress && createProgress(`${date} in ${runMs / 60_000} min`, traffic.length, options.progress));
      } finally {
        clearTimeout(timer);
        clearTimeout(back);
        down = false;
      }
    }
    if (!stopped) print(`demo: traffic done; the host keeps running with its console${address ? ` at http://${address.host}:${address.port}/ui` : ''} (Ctrl-C stops it)`);
    await options.until;
  } finally {
    await host.stop();
    await Promise.all(servers.map((s) => s.close()));
  }
}

/** Publishes `events` spread over `spreadMs` in the order and spacing of their times (0: at once, in chunks). */
async function send(host: ReturnType<typeof createHost>, events: DemoEvent[], spreadMs: number, stopped: () => boolean, progress?: { update(n: number): void; finish(s: string): void }): Promise<void> {
  if (events.length === 0) return;
  const first = events[0]!.at;
  const span = Math.max(1, events[events.length - 1]!.at - first);
  const started = Date.now();
  for (let i = 0; i < events.length; ) {
    // a person's Ctrl-C stops the host: nothing more is sent to it
    if (stopped()) return;
    const due = spreadMs === 0 ? Infinity : started + ((events[i]!.at - first) / span) * spreadMs;
    const wait = due === Infinity ? 0 : due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 1_000)));
    if (wait > 1_000) continue;
    // everything due by now goes in one confirm wait
    const batch: DemoEvent[] = [];
    while (i < events.length && batch.length < 50 && (spreadMs === 0 || started + ((events[i]!.at - first) / span) * spreadMs <= Date.now())) batch.push(events[i++]!);
    if (batch.length === 0) continue;
    await host.publishMany(batch.map((e) => ({ type: e.type, data: e.data, options: { tenantId: e.tenantId } })));
    progress?.update(i);
  }
  progress?.finish(`${events.length} events published`);
}
