import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { densify, keyString, type DemandStore, type Observations, type SeriesKey, type SeriesSnapshot } from './types.ts';

/**
 * The durable store: one SQLite file (better-sqlite3 12; 13 needs Node 22). Embedded, no server
 * to run, and a batch of observations is one transaction of microsecond statements, so the
 * synchronous API costs the event loop less than a round trip to a database server would.
 * WAL mode lets several processes on one machine share the file; hosts on several machines need
 * a server-backed store instead (see README).
 *
 * Each observation's origin is inserted in the same transaction as its demand, so a redelivery
 * after a crash between commit and ack changes nothing: the dedupe store of the pipeline lives
 * in memory and is gone after a restart, this table is not.
 */
export class SqliteDemandStore implements DemandStore {
  readonly kind = 'sqlite' as const;
  readonly durable = true;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly recordTx: (o: Observations) => SeriesKey[];

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a power cut may lose the last commits, never corrupt the file; the
    // broker redelivers what was not acked, and the origins table makes that harmless
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS mlf_series (
        tenant TEXT NOT NULL, product TEXT NOT NULL, location TEXT NOT NULL,
        first_day TEXT NOT NULL, level REAL, level_at TEXT,
        PRIMARY KEY (tenant, product, location)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS mlf_demand (
        tenant TEXT NOT NULL, product TEXT NOT NULL, location TEXT NOT NULL, day TEXT NOT NULL, qty REAL NOT NULL,
        PRIMARY KEY (tenant, product, location, day)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS mlf_origins (origin TEXT PRIMARY KEY, day TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS mlf_origins_day ON mlf_origins (day);
      CREATE TABLE IF NOT EXISTS mlf_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.statements = {
      origin: this.db.prepare('INSERT OR IGNORE INTO mlf_origins (origin, day) VALUES (?, ?)'),
      demand: this.db.prepare(
        `INSERT INTO mlf_demand (tenant, product, location, day, qty) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant, product, location, day) DO UPDATE SET qty = qty + excluded.qty`,
      ),
      touch: this.db.prepare(
        `INSERT INTO mlf_series (tenant, product, location, first_day) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant, product, location) DO UPDATE SET first_day = min(first_day, excluded.first_day)`,
      ),
      level: this.db.prepare(
        `UPDATE mlf_series SET level = ?, level_at = ?
         WHERE tenant = ? AND product = ? AND location = ? AND (level_at IS NULL OR level_at <= ?)`,
      ),
      series: this.db.prepare('SELECT first_day, level, level_at FROM mlf_series WHERE tenant = ? AND product = ? AND location = ?'),
      days: this.db.prepare('SELECT day, qty FROM mlf_demand WHERE tenant = ? AND product = ? AND location = ? AND day >= ? AND day <= ?').raw(),
      prunedBefore: this.db.prepare("SELECT value FROM mlf_meta WHERE name = 'pruned_before'").pluck(),
    };
    this.recordTx = this.db.transaction((o: Observations) => this.apply(o));
  }

  private apply({ demand, levels }: Observations): SeriesKey[] {
    const s = this.statements;
    const prunedBefore = (s.prunedBefore.get() as string | undefined) ?? '';
    const touched = new Map<string, SeriesKey>();
    const touch = (k: SeriesKey, date: string) => {
      s.touch.run(k.tenantId, k.productId, k.locationId, date < prunedBefore ? prunedBefore : date);
      touched.set(keyString(k), { tenantId: k.tenantId, productId: k.productId, locationId: k.locationId });
    };
    for (const d of demand) {
      if (d.date < prunedBefore) continue;
      if (s.origin.run(d.origin, d.date).changes === 0) continue;
      s.demand.run(d.tenantId, d.productId, d.locationId, d.date, d.quantity);
      touch(d, d.date);
    }
    for (const l of levels) {
      touch(l, l.date);
      s.level.run(l.level, l.at, l.tenantId, l.productId, l.locationId, l.at);
    }
    return [...touched.values()];
  }

  async record(observations: Observations): Promise<SeriesKey[]> {
    return this.recordTx(observations);
  }

  async snapshot(key: SeriesKey, until: string, maxDays: number): Promise<SeriesSnapshot | undefined> {
    const row = this.statements.series.get(key.tenantId, key.productId, key.locationId) as
      | { first_day: string; level: number | null; level_at: string | null }
      | undefined;
    if (!row) return undefined;
    const rows = this.statements.days.all(key.tenantId, key.productId, key.locationId, row.first_day, until) as [string, number][];
    return {
      tenantId: key.tenantId,
      productId: key.productId,
      locationId: key.locationId,
      ...densify(row.first_day, until, maxDays, rows),
      ...(row.level !== null && row.level_at !== null ? { level: { value: row.level, at: row.level_at } } : {}),
    };
  }

  async prune(before: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM mlf_demand WHERE day < ?').run(before);
      this.db.prepare('DELETE FROM mlf_origins WHERE day < ?').run(before);
      this.db.prepare('UPDATE mlf_series SET first_day = ? WHERE first_day < ?').run(before, before);
      this.db
        .prepare(`INSERT INTO mlf_meta (name, value) VALUES ('pruned_before', ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`)
        .run(before);
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
