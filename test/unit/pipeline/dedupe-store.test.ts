import { describe, expect, it } from 'vitest';
import { MemoryDedupeStore } from '../../../runtime/pipeline/dedupe-store.ts';

function store(maxEntries: number, ttlMs = 60_000) {
  let now = 1_000;
  const s = new MemoryDedupeStore({ maxEntries, ttlMs, now: () => now });
  return { s, advance: (ms: number) => (now += ms) };
}

describe('the in-memory dedupe store', () => {
  it('forgets the oldest entry once it holds more than maxEntries', () => {
    const { s } = store(3);
    for (const k of ['a', 'b', 'c', 'd']) s.remember(k);
    expect(['a', 'b', 'c', 'd'].map((k) => s.seen(k))).toEqual([false, true, true, true]);
    expect(s.size).toBe(3);
  });

  it('forgets an entry once more than ttlMs has passed since it was remembered, on the store\'s clock', () => {
    const { s, advance } = store(10, 5_000);
    s.remember('a');
    advance(5_000);
    expect(s.seen('a')).toBe(true);
    advance(1);
    expect(s.seen('a')).toBe(false);
  });

  it('remembering a key again moves it to the back with a fresh expiry; a lookup does not', () => {
    const { s, advance } = store(2, 5_000);
    s.remember('a');
    s.remember('b');
    advance(3_000);
    expect(s.seen('a')).toBe(true);
    s.remember('a');
    s.remember('c');
    // 'b' was the oldest by its last remember: it goes, 'a' stays
    expect([s.seen('a'), s.seen('b'), s.seen('c')]).toEqual([true, false, true]);
    advance(3_000);
    expect(s.seen('a')).toBe(true);
  });
});
