import { LRUCache } from 'lru-cache';

/**
 * Remembers which (handler, event id) pairs were handled, so a redelivery (at-least-once) does not
 * run a handler twice. Behind an interface so several hosts can share one (Redis) store.
 */
export interface DedupeStore {
  seen(key: string): Promise<boolean> | boolean;
  remember(key: string): Promise<void> | void;
  close?(): Promise<void>;
}

/** Bounded: the oldest entries go first, and every entry expires after `ttlMs`. */
export class MemoryDedupeStore implements DedupeStore {
  private readonly cache: LRUCache<string, true>;
  constructor(options: { maxEntries: number; ttlMs: number; now?: () => number }) {
    const perf = options.now ? { now: options.now } : undefined;
    // ttlResolution 0: lru-cache otherwise keeps the time it read for 1 ms of real time, so under
    // the fake bus's virtual clock an entry would outlive its ttl until real time moved on
    this.cache = new LRUCache<string, true>({ max: options.maxEntries, ttl: options.ttlMs, ttlAutopurge: false, ttlResolution: 0, perf });
  }
  seen(key: string): boolean {
    return this.cache.has(key);
  }
  remember(key: string): void {
    this.cache.set(key, true);
  }
  get size(): number {
    return this.cache.size;
  }
}
