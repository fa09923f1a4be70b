import { describe, expect, it } from 'vitest';
import { Unconfirmed } from '../../../runtime/transport/amqp/unconfirmed.ts';

interface Item {
  n: number;
  awaiting?: object;
}

describe('Unconfirmed (publishes awaiting their confirm on one channel)', () => {
  it('takes each publish once, in or out of order, and drains what is left in publish order', () => {
    const channel = {};
    const u = new Unconfirmed<object, Item>(channel);
    const items = Array.from({ length: 6 }, (_, n) => ({ n }) as Item);
    for (const p of items) u.add(p);
    expect(u.take(items[1]!)).toBe(true); // out of order
    expect(u.take(items[0]!)).toBe(true);
    expect(u.take(items[0]!)).toBe(false); // twice: no
    expect(u.take(items[4]!)).toBe(true);
    expect(u.drain().map((p) => p.n)).toEqual([2, 3, 5]);
    // after a drain (the channel closed) a late confirm finds nothing to take
    expect(u.take(items[2]!)).toBe(false);
    expect(items.every((p) => p.awaiting === undefined)).toBe(true);
  });

  it('a publish sent again on a new channel belongs to that channel only', () => {
    const first = {};
    const second = {};
    const old = new Unconfirmed<object, Item>(first);
    const next = new Unconfirmed<object, Item>(second);
    const p: Item = { n: 1 };
    old.add(p);
    expect(old.drain()).toEqual([p]);
    next.add(p);
    expect(old.take(p)).toBe(false);
    expect(next.take(p)).toBe(true);
  });

  it('keeps no reference to what it has passed', () => {
    const u = new Unconfirmed<object, Item>({});
    for (let n = 0; n < 5_000; n++) {
      const p: Item = { n };
      u.add(p);
      u.take(p);
    }
    // compacted as it goes: the backing array does not grow with the publishes it has seen
    expect((u as unknown as { items: unknown[] }).items.length).toBeLessThan(2_100);
    expect((u as unknown as { items: unknown[] }).items.every((x) => x === undefined)).toBe(true);
  });
});
