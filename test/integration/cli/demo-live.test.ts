import { expect, it } from 'vitest';
import { configSchema } from '../../../config/schema.ts';
import { runLiveDemo } from '../../../runtime/demo/live.ts';
import { waitFor } from '../../support/broker.ts';
import { request } from '../../support/http.ts';

// `stokcerdas demo --live` as a person uses it: traffic in real time through a started host, an
// outage that fills a DLQ, and a replay from the console's API that the marketplace then takes.
it('fills a DLQ during the marketplace outage, and its retries-exhausted dead letters replay cleanly', async () => {
  const config = configSchema.parse({ http: { host: '127.0.0.1', port: 0 }, plugins: { dir: 'plugins' } });
  const lines: string[] = [];
  let done!: () => void;
  const until = new Promise<void>((r) => (done = r));
  let port = 0;
  const print = (line: string) => {
    lines.push(line);
    const m = /console: http:\/\/127\.0\.0\.1:(\d+)\/ui/.exec(line);
    if (m) port = Number(m[1]);
  };
  const running = runLiveDemo({ config, minutes: 0.5, print, until });
  try {
    const dlq = 'stokcerdas.integration.sync.shopee.dlq';
    const letters = async (reason: string) =>
      (await request(port, 'GET', `/ui/api/dlq/letters?queue=${dlq}&reason=${reason}&limit=200`)).json<{ matched: number }>().matched;
    await waitFor(() => lines.some((l) => l.startsWith('demo: traffic done')), 90_000, 'the traffic');
    await waitFor(async () => (await letters('retries-exhausted')) > 0, 20_000, 'retries-exhausted dead letters');
    // the demo's day ends during the outage: the marketplace is back once the traffic is done
    const before = await letters('retries-exhausted');
    const job = await request(port, 'POST', '/ui/api/dlq/replay', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queue: dlq, reason: 'retries-exhausted' }) });
    expect(job.status).toBe(202);
    await waitFor(async () => (await request(port, 'GET', '/ui/api/jobs')).json<Array<{ state: string; done: number }>>()[0]?.state === 'done', 20_000, 'the replay');
    expect((await request(port, 'GET', '/ui/api/jobs')).json<Array<{ done: number }>>()[0]!.done).toBe(before);
    // replayed syncs that failed again would come back within their retries (2 s + 4 s)
    await new Promise((r) => setTimeout(r, 8_000));
    expect(await letters('retries-exhausted')).toBe(0);
  } finally {
    done();
    await running;
  }
}, 180_000);
