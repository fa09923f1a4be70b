/**
 * What one host's notifications plugin remembers: the alert window and counters. Registered in the
 * host's container as `notifications` by setup(), so two hosts in one process (tests) never share it.
 *
 * The window is in memory: hosts that compete on one queue each keep their own, so a repeat that
 * lands on another host gets through. That is the trade-off for no shared store on the alert path;
 * delivery services can still dedupe on `notificationId`.
 */
export interface NotificationCounters {
  /** messages composed from source events */
  composed: number;
  /** channel messages published (one per channel) */
  sent: number;
  /** messages first held for business hours */
  deferred: number;
  /** tier hops published (a deferred message may take several) */
  hops: number;
  /** held messages that came due and were sent */
  released: number;
  /** repeated alerts dropped inside the window */
  suppressed: number;
  webhookDelivered: number;
  webhookFailed: number;
}

export class NotificationsState {
  readonly counters: NotificationCounters = {
    composed: 0,
    sent: 0,
    deferred: 0,
    hops: 0,
    released: 0,
    suppressed: 0,
    webhookDelivered: 0,
    webhookFailed: 0,
  };
  private readonly seen = new Map<string, { at: number; eventId: string }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  /**
   * True when another event with this key got through less than the window before (or after:
   * events can arrive out of order). The window is anchored at the alert that was sent, so a
   * product flapping around its threshold yields one alert per window. The same event id is never
   * a repeat: its retry must send what its first attempt could not.
   */
  isRepeat(key: string, eventId: string, at: number): boolean {
    if (this.windowMs <= 0) return false;
    const prev = this.seen.get(key);
    if (prev && prev.eventId !== eventId && Math.abs(at - prev.at) < this.windowMs) {
      this.counters.suppressed++;
      return true;
    }
    this.seen.delete(key); // re-inserted last: Map order is the eviction order
    this.seen.set(key, { at, eventId });
    if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    return false;
  }

  stats(): NotificationCounters & { windowEntries: number } {
    return { ...this.counters, windowEntries: this.seen.size };
  }
}
