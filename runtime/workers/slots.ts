/**
 * Back-pressure for the pool (issue 4 §3). At most `capacity` tasks are handed to piscina (running
 * plus queued there); further calls wait here, in order, instead of piscina rejecting them with
 * "task queue at limit". The waiters are bounded too: each is a delivery the consumer already
 * holds unacked, so there are never more than the sum of the bindings' prefetch — the broker
 * keeps the rest. A waiter whose call is aborted (timeout) leaves the line at once.
 */
export class Slots {
  private used = 0;
  private readonly waiters: { grant(): void }[] = [];

  constructor(private readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves when a slot is taken; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.used < this.capacity && this.waiters.length === 0) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.used++;
          resolve();
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

  release(): void {
    this.used--;
    if (this.used < this.capacity) this.waiters.shift()?.grant();
  }
}
