/**
 * The last `size` handler durations of one binding, for p50/p99 that follow what the handler does
 * now. The Prometheus histogram's buckets are too coarse for a table (0.5–1 ms, 1–5 ms, …) and
 * count since start; this ring costs one array write per call.
 */
export class RecentDurations {
  private readonly ring: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(size = 512) {
    this.ring = new Float64Array(size);
  }

  push(ms: number): void {
    this.ring[this.next] = ms;
    this.next = (this.next + 1) % this.ring.length;
    if (this.filled < this.ring.length) this.filled++;
  }

  /** nearest-rank quantile of the window, undefined while nothing was measured */
  quantile(q: number): number | undefined {
    if (this.filled === 0) return undefined;
    const sorted = this.ring.slice(0, this.filled).sort();
    const rank = Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1));
    return sorted[rank];
  }
}
