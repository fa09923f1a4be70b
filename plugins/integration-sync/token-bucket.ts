import type { Clock } from 'stokcerdas';

/**
 * Per-target rate limit: `perSecond` tokens accrue continuously up to `burst`; a request takes one.
 * Waiting goes through the host's Clock, so the fake bus drives it on virtual time. The bucket is
 * per host: with N hosts competing on a target's queue, give each `perSecond / N`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes a token and returns 0, or returns how many ms until one is there (nothing taken). */
  tryTake(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
  }

  /** Waits for a token; rejects with the signal's reason when the handler times out meanwhile. */
  async take(clock: Clock, signal?: AbortSignal): Promise<number> {
    let waited = 0;
    for (;;) {
      const wait = this.tryTake(clock.now());
      if (wait === 0) return waited;
      waited += wait;
      await sleep(clock, wait, signal);
    }
  }

  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
    }
  }
}

function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      cancel();
      reject(signal!.reason);
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
