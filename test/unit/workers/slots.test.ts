import { describe, expect, it } from 'vitest';
import { Slots } from '../../../runtime/workers/slots.ts';

describe('Slots', () => {
  it('hands out distinct slots up to capacity at once, then grants waiters in arrival order', async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    const first = slots.acquire();
    const second = slots.acquire();
    expect([first, second]).toEqual([0, 1]);
    const waiting = [3, 4].map((n) => Promise.resolve(slots.acquire()).then((slot) => order.push(n * 10 + slot)));
    expect(slots.waiting).toBe(2);
    slots.release(1);
    await waiting[0];
    slots.release(0);
    await waiting[1];
    // each waiter gets the slot that was given back
    expect(order).toEqual([31, 40]);
    expect(slots.inUse).toBe(2);
  });

  it('rejects an aborted waiter with the abort reason and frees its place in line', async () => {
    const slots = new Slots(1);
    const held = slots.acquire() as number;
    const controller = new AbortController();
    const aborted = slots.acquire(controller.signal);
    const next = slots.acquire();
    controller.abort(new Error('timed out'));
    await expect(aborted).rejects.toThrow('timed out');
    slots.release(held);
    expect(await next).toBe(held);
    expect(slots.waiting).toBe(0);
    expect(slots.inUse).toBe(1);
  });

  it('refuses at once when the signal has already fired', async () => {
    const slots = new Slots(1);
    await expect(slots.acquire(AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
    expect(slots.inUse).toBe(0);
  });

  it('makes a caller wait behind earlier waiters even when a slot is free', async () => {
    const slots = new Slots(1);
    const held = slots.acquire() as number;
    const early = slots.acquire();
    slots.release(held);
    expect(await early).toBe(held);
    expect(slots.acquire()).toBeInstanceOf(Promise);
  });
});
