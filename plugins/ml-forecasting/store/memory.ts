import { densify, keyString, type DemandStore, type Observations, type SeriesKey, type SeriesSnapshot } from './types.ts';

interface Series {
  key: SeriesKey;
  first: string;
  days: Map<string, number>;
  level?: { value: number; at: string };
}

/**
 * The default store: maps in this process. Nothing survives a restart and a second host keeps
 * its own series (it sees only the deliveries it consumed): fine for one host and for tests.
 */
export class MemoryDemandStore implements DemandStore {
  readonly kind = 'memory' as const;
  readonly durable = false;
  private readonly series = new Map<string, Series>();
  /** origin → day, so pruning can forget old origins */
  private readonly origins = new Map<string, string>();
  /** days before this were pruned: an old event arriving late must not bring them back */
  private prunedBefore = '';

  async record({ demand, levels }: Observations): Promise<SeriesKey[]> {
    const touched = new Map<string, SeriesKey>();
    const seriesOf = (key: SeriesKey, date: string) => {
      const id = keyString(key);
      let s = this.series.get(id);
      if (!s) {
        s = { key: { tenantId: key.tenantId, productId: key.productId, locationId: key.locationId }, first: date, days: new Map() };
        this.series.set(id, s);
      } else if (date < s.first) s.first = date;
      touched.set(id, s.key);
      return s;
    };
    for (const d of demand) {
      if (d.date < this.prunedBefore || this.origins.has(d.origin)) continue;
      this.origins.set(d.origin, d.date);
      const s = seriesOf(d, d.date);
      s.days.set(d.date, (s.days.get(d.date) ?? 0) + d.quantity);
    }
    for (const l of levels) {
      const s = seriesOf(l, l.date < this.prunedBefore ? this.prunedBefore : l.date);
      if (!s.level || l.at >= s.level.at) s.level = { value: l.level, at: l.at };
    }
    return [...touched.values()];
  }

  async snapshot(key: SeriesKey, until: string, maxDays: number): Promise<SeriesSnapshot | undefined> {
    const s = this.series.get(keyString(key));
    if (!s) return undefined;
    return { ...s.key, ...densify(s.first, until, maxDays, s.days), ...(s.level ? { level: { ...s.level } } : {}) };
  }

  async prune(before: string): Promise<void> {
    if (before > this.prunedBefore) this.prunedBefore = before;
    for (const [origin, day] of this.origins) if (day < before) this.origins.delete(origin);
    for (const s of this.series.values()) {
      for (const day of s.days.keys()) if (day < before) s.days.delete(day);
      if (s.first < before) s.first = before;
    }
  }

  async close(): Promise<void> {}
}
