/**
 * Pieces of the cluster fault tests: host processes (test/fixtures/cluster/host.ts), a stream of
 * events published through a runtime host, and a sampler that measures how long handling stalled.
 */
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import type { Host } from '../../runtime/index.ts';
import { startFixtureHost, type HostProcess } from './host-process.ts';
import { request } from './http.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/cluster/host.ts');

export type { HostProcess } from './host-process.ts';

export function startHostProcess(name: string, env: { prefix: string; urls: string[]; redisUrl: string }): Promise<HostProcess> {
  return startFixtureHost(FIXTURE, name, { CLUSTER_PREFIX: env.prefix, CLUSTER_HOST_NAME: name, CLUSTER_URLS: env.urls.join(','), CLUSTER_REDIS_URL: env.redisUrl }, 60_000);
}

export interface Readyz {
  ready: boolean;
  status: string;
  node?: string;
  failovers?: number;
}

export async function readyz(p: HostProcess): Promise<Readyz> {
  return (await request(p.port, 'GET', '/readyz')).json<Readyz>();
}

export async function deduplicated(p: HostProcess): Promise<number> {
  const stats = (await request(p.port, 'GET', '/stats')).json<{ subscriptions: Array<{ deduplicated: number }> }>();
  return stats.subscriptions.reduce((n, s) => n + s.deduplicated, 0);
}

const stock = (i: number) => ({ productId: `SKU-${i}`, locationId: 'WH-1', previousLevel: 10, newLevel: 5, quantityChanged: -5 });

/**
 * Publishes `total` events in windows of 250 (each window confirmed before the next), paced to
 * about `perSecond` when given; resolves to their ids. A publish that fails fails the stream.
 */
export async function stream(publisher: Host, total: number, perSecond?: number): Promise<string[]> {
  const ids: string[] = [];
  const started = Date.now();
  for (let i = 0; i < total; i += 250) {
    const window = Array.from({ length: Math.min(250, total - i) }, (_, k) => publisher.publish('inventory.stock.level.changed', stock(i + k)));
    for (const e of await Promise.all(window)) ids.push(e.id);
    if (perSecond) {
      const due = started + ((i + 250) / perSecond) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
  }
  return ids;
}

/**
 * Samples how many events have been handled (distinct ids in Redis) every 50 ms. `stallAfter(t)`
 * is the longest time after `t` during which the count did not move while events were still
 * outstanding: how long handling was interrupted.
 */
export class Sampler {
  private readonly samples: Array<{ at: number; count: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly redis: Redis, private readonly key: string, private readonly total: number) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.redis.hlen(this.key).then(
        (count) => {
          this.samples.push({ at: Date.now(), count });
          this.busy = false;
        },
        () => (this.busy = false),
      );
    }, 50);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** when the count first reached the total */
  get doneAt(): number | undefined {
    return this.samples.find((s) => s.count >= this.total)?.at;
  }

  get count(): number {
    return this.samples.at(-1)?.count ?? 0;
  }

  stallAfter(t: number, until = Infinity): number {
    let longest = 0;
    let lastMove: number | undefined;
    let lastCount = -1;
    for (const s of this.samples) {
      if (s.at > until) break;
      if (s.count !== lastCount) {
        if (lastMove !== undefined && s.at >= t) longest = Math.max(longest, s.at - Math.max(lastMove, t));
        lastMove = s.at;
        lastCount = s.count;
      }
      if (s.count >= this.total) break;
    }
    return longest;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
