/**
 * Back-pressure for the pool. At most `capacity` tasks are handed to piscina (running
 * plus queued there); further calls wait here, in order, instead of piscina rejecting them with
 * "task queue at limit". The waiters are bounded too: each is a delivery the consumer already
 * holds unacked, so there are never more than the sum of the bindings' prefetch — the broker
 * keeps the rest. A waiter whose call is aborted (timeout) leaves the line at once.
 *
 * A slot is a number below `capacity`, so it doubles as the task's lane on the LaneBoard.
 */
interface Waiter {
  grant(slot: number): void;
}

export class Slots {
  private readonly free: number[];
  private readonly waiters: Waiter[] = [];

  constructor(private readonly capacity: number) {
    // popped from the end: slot 0 first
    this.free = Array.from({ length: capacity }, (_, i) => capacity - 1 - i);
  }

  get inUse(): number {
    return this.capacity - this.free.length;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * A free slot at once when there is one and nobody waits (no promise on the hot path); otherwise
   * a promise of one, rejected with the signal's reason if the signal aborts first.
   */
  acquire(signal?: AbortSignal): number | Promise<number> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.free.length > 0) return this.free.pop()!;
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** A free slot only when nobody waits for one: a moved call must not jump the line. */
  tryAcquire(): number | undefined {
    return this.waiters.length === 0 ? this.free.pop() : undefined;
  }

  release(slot: number): void {
    const next = this.waiters.shift();
    if (next) next.grant(slot);
    else this.free.push(slot);
  }
}
