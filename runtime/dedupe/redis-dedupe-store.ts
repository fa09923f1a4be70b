import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redactString } from '../../config/redact.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { DedupeStore } from '../pipeline/dedupe-store.ts';

export interface RedisDedupeStoreOptions {
  url: string;
  /** every key expires after this long (config.dedupe.ttlMs) */
  ttlMs: number;
  /** keeps deployments that share one Redis apart (the broker prefix) */
  namespace: string;
  logger?: Logger;
  /** a command slower than this counts as failed (fail open, see below) */
  commandTimeoutMs?: number;
}

/**
 * The dedupe store shared by every host of a deployment (scale-out): a redelivery that
 * lands on another host after a crash is still recognised. `seen` = EXISTS, `remember` = SET PX.
 *
 * It fails open: when Redis does not answer, `seen` says "not seen" and `remember` is skipped,
 * with a warning. Delivery is at least once anyway; failing closed would burn the retries of good
 * messages and dead-letter them for an outage of the cache.
 */
export class RedisDedupeStore implements DedupeStore {
  private readonly client: Redis;
  private readonly prefix: string;
  private failing = false;

  constructor(private readonly options: RedisDedupeStoreOptions) {
    this.prefix = `stokcerdas:dedupe:${options.namespace}:`;
    this.client = new Redis(options.url, {
      lazyConnect: true,
      connectionName: `stokcerdas-dedupe-${options.namespace}`,
      // many deliveries in flight at once: one round trip for the commands of one tick
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 2_000,
      retryStrategy: (times) => Math.min(times * 200, 5_000),
    });
    // without a listener ioredis prints every reconnect error to stderr
    this.client.on('error', (err: Error) => this.warn(err));
  }

  /** Connects once at start so a wrong URL fails the start with a clear message, not the first delivery. */
  async connect(): Promise<void> {
    try {
      await this.client.connect();
      await this.client.ping();
    } catch (err) {
      this.client.disconnect();
      throw new StokcerdasError(
        ErrorCodes.DEDUPE_UNAVAILABLE,
        `dedupe.redisUrl: cannot reach Redis at ${redactString(this.options.url)} (${(err as Error).message})`,
        { url: redactString(this.options.url) },
        { cause: err },
      );
    }
  }

  async seen(key: string): Promise<boolean> {
    try {
      const found = (await this.client.exists(this.prefix + key)) === 1;
      this.recovered();
      return found;
    } catch (err) {
      this.warn(err as Error);
      return false;
    }
  }

  async remember(key: string): Promise<void> {
    try {
      await this.client.set(this.prefix + key, '1', 'PX', this.options.ttlMs);
      this.recovered();
    } catch (err) {
      this.warn(err as Error);
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private warn(err: Error): void {
    if (this.failing) return;
    this.failing = true;
    this.options.logger?.warn({ err: { message: redactString(err.message) } }, 'redis dedupe store not answering: deduplication is off until it is back (handlers may see redeliveries twice)');
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.options.logger?.info('redis dedupe store answering again');
  }
}

/** Loaded only when `dedupe.redisUrl` is set: hosts without it never load ioredis. */
export async function createRedisDedupeStore(options: RedisDedupeStoreOptions): Promise<RedisDedupeStore> {
  const store = new RedisDedupeStore(options);
  await store.connect();
  return store;
}
