import { describe, expect, it } from 'vitest';
import { Slots } from '../../../runtime/workers/slots.ts';

describe('Slots', () => {
  it('hands out slots up to capacity, then grants waiters in arrival order', async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    await slots.acquire();
    await slots.acquire();
    const waiting = [3, 4].map((n) => slots.acquire().then(() => order.push(n)));
    expect(slots.waiting).toBe(2);
    slots.release();
    await waiting[0];
    slots.release();
    await waiting[1];
    expect(order).toEqual([3, 4]);
    expect(slots.inUse).toBe(2);
  });

  it('rejects an aborted waiter with the abort reason and frees its place in line', async () => {
    const slots = new Slots(1);
    await slots.acquire();
    const controller = new AbortController();
    const aborted = slots.acquire(controller.signal);
    const next = slots.acquire();
    controller.abort(new Error('timed out'));
    await expect(aborted).rejects.toThrow('timed out');
    slots.release();
    await next;
    expect(slots.waiting).toBe(0);
    expect(slots.inUse).toBe(1);
  });

  it('refuses at once when the signal has already fired', async () => {
    const slots = new Slots(1);
    await expect(slots.acquire(AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
    expect(slots.inUse).toBe(0);
  });
});
