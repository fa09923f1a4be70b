/**
 * Remembers which (handler, event id) pairs were handled, so a redelivery (at-least-once) does not
 * run a handler twice. Behind an interface so several hosts can share one (Redis) store.
 */
export interface DedupeStore {
  seen(key: string): Promise<boolean> | boolean;
  remember(key: string): Promise<void> | void;
  close?(): Promise<void>;
}

/**
 * Bounded: the oldest entries go first, and every entry expires after `ttlMs`. One Map in
 * remembering order, each key to its expiry: every entry has the same ttl, so the oldest is also
 * the first to expire, and a Map keeps insertion order for free (lru-cache, used before, cost two
 * to three times as much per event for bookkeeping this store does not need: a lookup never
 * refreshes an entry).
 */
export class MemoryDedupeStore implements DedupeStore {
  private readonly entries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** expiries are kept relative to this, so they stay small integers V8 stores without a box */
  private readonly base: number;

  constructor(options: { maxEntries: number; ttlMs: number; now?: () => number }) {
    this.maxEntries = Math.max(1, options.maxEntries);
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
    this.base = this.now();
  }

  /** Read on the store's clock every time (a virtual clock moves in jumps); a miss reads no clock. */
  seen(key: string): boolean {
    const expiresAt = this.entries.get(key);
    if (expiresAt === undefined) return false;
    if (this.now() - this.base <= expiresAt) return true;
    this.entries.delete(key);
    return false;
  }

  /** Remembering a key again moves it to the back with a fresh expiry. */
  remember(key: string): void {
    const { entries } = this;
    const expiresAt = this.now() - this.base + this.ttlMs;
    const size = entries.size;
    // a new key (the common case) takes one insertion; a known one is taken out and put at the back
    entries.set(key, expiresAt);
    if (entries.size === size) {
      entries.delete(key);
      entries.set(key, expiresAt);
    } else if (entries.size > this.maxEntries) {
      entries.delete(entries.keys().next().value!);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
