/**
 * Where the daily demand series live. The handlers only see this interface: the in-memory store
 * (default, one process, lost on restart), the SQLite file (durable, one host) and PostgreSQL
 * (durable, shared by several hosts) implement it.
 */

export interface SeriesKey {
  tenantId: string;
  productId: string;
  locationId: string;
}

export interface DemandObservation extends SeriesKey {
  /**
   * Counted once, however often it arrives: a redelivered event, or a sale seen both as a stock
   * movement and as a completed order (both name the order: `ref:<tenant>:<order>:<product>`).
   */
  origin: string;
  /** local civil date `YYYY-MM-DD` */
  date: string;
  /** units demanded, > 0 */
  quantity: number;
}

export interface LevelObservation extends SeriesKey {
  /** units on hand after the movement */
  level: number;
  /** instant of the movement (ISO, UTC): the latest one wins, whatever order events arrive in */
  at: string;
  /** local civil date: a product is tracked from the first day anything was seen of it */
  date: string;
}

export interface Observations {
  demand: DemandObservation[];
  levels: LevelObservation[];
}

export interface SeriesSnapshot extends SeriesKey {
  /** first day of `values` */
  start: string;
  /** demand per day from `start` to the `until` day asked for, inclusive; days without sales are 0 */
  values: number[];
  level?: { value: number; at: string };
}

export interface DemandStore {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /** survives a restart */
  readonly durable: boolean;
  /** Applies observations (idempotent per origin); resolves to every series touched. */
  record(observations: Observations): Promise<SeriesKey[]>;
  /** The series up to `until` (inclusive), at most `maxDays` long; undefined for an unknown key. */
  snapshot(key: SeriesKey, until: string, maxDays: number): Promise<SeriesSnapshot | undefined>;
  /** Forgets demand days and origins before `before` (`YYYY-MM-DD`). */
  prune(before: string): Promise<void>;
  close(): Promise<void>;
}

export const keyString = (k: SeriesKey) => JSON.stringify([k.tenantId, k.productId, k.locationId]);

const DAY_MS = 86_400_000;
export const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
export const isoDay = (dn: number) => new Date(dn * DAY_MS).toISOString().slice(0, 10);

/** Dense values from max(first, until − maxDays + 1) to until, from sparse (day, qty) rows. */
export function densify(first: string, until: string, maxDays: number, rows: Iterable<[string, number]>): { start: string; values: number[] } {
  const end = dayNumber(until);
  const startDn = Math.max(dayNumber(first), end - maxDays + 1);
  const values = new Array<number>(Math.max(0, end - startDn + 1)).fill(0);
  for (const [day, qty] of rows) {
    const i = dayNumber(day) - startDn;
    if (i >= 0 && i < values.length) values[i] += qty;
  }
  return { start: isoDay(startDn), values };
}
