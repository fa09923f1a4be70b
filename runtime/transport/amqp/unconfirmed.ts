/**
 * Sent on one channel, not yet confirmed, in publish order. An array whose passed slots are
 * cleared, not a Set: with a Set of these (each holding its message and the caller's promise
 * chain) V8 promoted ~20 times more to old space per scavenge, even with only 20 in flight.
 */
export class Unconfirmed<S, P extends { awaiting?: S }> {
  private items: (P | undefined)[] = [];
  private head = 0;

  constructor(private readonly state: S) {}

  add(p: P): void {
    p.awaiting = this.state;
    this.items.push(p);
  }

  /** Takes `p` off the channel; false when it is no longer awaited here (already failed over). */
  take(p: P): boolean {
    if (p.awaiting !== this.state) return false;
    p.awaiting = undefined;
    const items = this.items;
    let head = this.head;
    while (head < items.length && items[head]!.awaiting !== this.state) items[head++] = undefined;
    this.head = head;
    if (head > 1024 && head * 2 > items.length) {
      this.items = items.slice(head);
      this.head = 0;
    }
    return true;
  }

  /** Everything still awaited, in publish order; the channel awaits nothing afterwards. */
  drain(): P[] {
    const left: P[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const p = this.items[i];
      if (p?.awaiting === this.state) {
        p.awaiting = undefined;
        left.push(p);
      }
    }
    this.items = [];
    this.head = 0;
    return left;
  }
}
