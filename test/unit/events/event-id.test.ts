import { describe, expect, it } from 'vitest';
import { eventId } from '../../../runtime/events/event-id.ts';

describe('eventId', () => {
  it('makes version 4 UUIDs, each one different, across many refills of its random pool', () => {
    const ids = Array.from({ length: 5_000 }, () => eventId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spreads its hex digits evenly (the random bytes are used, not a constant)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) for (const c of eventId().replace(/-/g, '').slice(13)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(16);
  });
});
