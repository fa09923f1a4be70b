/**
 * A per-target circuit breaker as a small state machine, with no timers and no I/O: the caller
 * (target.ts) pauses and resumes the target's consumer when it opens and when the cooldown ends.
 *
 *   closed ──(failureThreshold failures in a row, or a 429)──▶ open
 *   open ──(cooldown over: consumer resumed)──▶ half-open: exactly one delivery probes the target
 *   half-open ──probe succeeds──▶ closed       half-open ──probe fails──▶ open, cooldown doubled
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerPolicy {
  failureThreshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
}

export type Admission = 'call' | 'probe' | 'deny';

export class Breaker {
  state: BreakerState = 'closed';
  /** failures in a row while closed */
  failures = 0;
  opens = 0;
  /** the cooldown the last opening chose */
  cooldownMs: number;
  private probing = false;

  constructor(private readonly policy: BreakerPolicy) {
    this.cooldownMs = policy.cooldownMs;
  }

  /** May this delivery call the target? Half-open lets exactly one through. */
  admit(): Admission {
    if (this.state === 'closed') return 'call';
    if (this.state === 'half-open' && !this.probing) {
      this.probing = true;
      return 'probe';
    }
    return 'deny';
  }

  /** Returns true when this success closed an open or half-open breaker. */
  success(): boolean {
    const recovered = this.state !== 'closed';
    this.state = 'closed';
    this.failures = 0;
    this.probing = false;
    this.cooldownMs = this.policy.cooldownMs;
    return recovered;
  }

  /**
   * Records a failure; returns the cooldown when it opens the breaker. `retryAfterMs` (a 429)
   * opens it at once: the target asked us to stop, so counting to the threshold would hammer it.
   */
  failure(retryAfterMs?: number): number | undefined {
    if (this.state === 'open') return undefined;
    if (this.state === 'half-open') {
      this.probing = false;
      return this.open(Math.max(retryAfterMs ?? 0, Math.min(this.cooldownMs * 2, this.policy.maxCooldownMs)));
    }
    this.failures++;
    if (retryAfterMs !== undefined) return this.open(Math.max(retryAfterMs, this.policy.cooldownMs));
    if (this.failures >= this.policy.failureThreshold) return this.open(this.policy.cooldownMs);
    return undefined;
  }

  /** The probe never reached the target (it timed out waiting for a token): the next delivery probes. */
  abandonProbe(): void {
    if (this.state === 'half-open') this.probing = false;
  }

  /** The cooldown is over: the next delivery probes. */
  halfOpen(): void {
    if (this.state !== 'open') return;
    this.state = 'half-open';
    this.probing = false;
  }

  private open(cooldownMs: number): number {
    this.state = 'open';
    this.opens++;
    // a Retry-After beyond maxCooldownMs is honoured: the target said when it can take more
    this.cooldownMs = cooldownMs;
    return cooldownMs;
  }
}
