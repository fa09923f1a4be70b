import pg from 'pg';
import { densify, keyString, type DemandStore, type Observations, type SeriesKey, type SeriesSnapshot } from './types.ts';

/**
 * The store for several hosts: PostgreSQL, shared by every host that consumes
 * `stokcerdas.ml.forecasting` (competing consumers each see a part of the events, so the series
 * must live where all of them write). Same three tables as the SQLite store, in a schema of their
 * own; a batch is one transaction of set-based statements (`unnest` arrays), so its cost does not
 * grow with round trips per event.
 *
 * Days and instants are stored as text (`YYYY-MM-DD`, ISO UTC): they compare correctly as strings
 * and node-postgres would otherwise turn a `date` into a JavaScript Date at local midnight.
 * Concurrent hosts: the origin insert is `ON CONFLICT DO NOTHING`, so a sale two hosts record at
 * once counts once; a deadlock between two batches aborts one, which the broker retries.
 */
export class PostgresDemandStore implements DemandStore {
  readonly kind = 'postgres' as const;
  readonly durable = true;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
  ) {}

  static async open(url: string, schema: string): Promise<PostgresDemandStore> {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`store.schema "${schema}": use lower-case letters, digits and _`);
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // an idle client that loses its server must not take the host down with an unhandled 'error'
    pool.on('error', () => {});
    const store = new PostgresDemandStore(pool, schema);
    try {
      await store.migrate();
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const s = this.s;
    await this.transaction(async (c) => {
      // hosts starting together would race on CREATE … IF NOT EXISTS: one at a time
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`stokcerdas-ml-forecasting:${s}`]);
      await c.query(`
        CREATE SCHEMA IF NOT EXISTS ${s};
        CREATE TABLE IF NOT EXISTS ${s}.series (
          tenant text NOT NULL, product text NOT NULL, location text NOT NULL,
          first_day text NOT NULL, level double precision, level_at text,
          PRIMARY KEY (tenant, product, location));
        CREATE TABLE IF NOT EXISTS ${s}.demand (
          tenant text NOT NULL, product text NOT NULL, location text NOT NULL, day text NOT NULL, qty double precision NOT NULL,
          PRIMARY KEY (tenant, product, location, day));
        CREATE TABLE IF NOT EXISTS ${s}.origins (origin text PRIMARY KEY, day text NOT NULL);
        CREATE INDEX IF NOT EXISTS origins_day ON ${s}.origins (day);
        CREATE TABLE IF NOT EXISTS ${s}.meta (name text PRIMARY KEY, value text NOT NULL);`);
    });
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async record({ demand, levels }: Observations): Promise<SeriesKey[]> {
    const s = this.s;
    return this.transaction(async (c) => {
      const pruned = ((await c.query(`SELECT value FROM ${s}.meta WHERE name = 'pruned_before'`)).rows[0]?.value as string | undefined) ?? '';
      const touched = new Map<string, SeriesKey>();
      const byOrigin = new Map(demand.filter((d) => d.date >= pruned).map((d) => [d.origin, d]));
      if (byOrigin.size > 0) {
        const rows = [...byOrigin.values()];
        const result = await c.query<{ tenant: string; product: string; location: string }>(
          `WITH input AS (
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[])
               AS t(origin, tenant, product, location, day, qty)),
           fresh AS (
             INSERT INTO ${s}.origins (origin, day) SELECT origin, day FROM input ON CONFLICT DO NOTHING RETURNING origin),
           counted AS (
             SELECT tenant, product, location, day, sum(qty) AS qty FROM input JOIN fresh USING (origin) GROUP BY 1, 2, 3, 4),
           touched AS (
             INSERT INTO ${s}.series (tenant, product, location, first_day)
             SELECT tenant, product, location, min(day) FROM counted GROUP BY 1, 2, 3
             ON CONFLICT (tenant, product, location) DO UPDATE SET first_day = least(${s}.series.first_day, excluded.first_day))
           INSERT INTO ${s}.demand (tenant, product, location, day, qty) SELECT tenant, product, location, day, qty FROM counted
           ON CONFLICT (tenant, product, location, day) DO UPDATE SET qty = ${s}.demand.qty + excluded.qty
           RETURNING tenant, product, location`,
          [rows.map((r) => r.origin), rows.map((r) => r.tenantId), rows.map((r) => r.productId), rows.map((r) => r.locationId), rows.map((r) => r.date), rows.map((r) => r.quantity)],
        );
        for (const r of result.rows) {
          const key = { tenantId: r.tenant, productId: r.product, locationId: r.location };
          touched.set(keyString(key), key);
        }
      }
      // one row per series (an upsert cannot touch a row twice): the latest level, the earliest day
      const latest = new Map<string, { key: SeriesKey; level: number; at: string; date: string }>();
      for (const l of levels) {
        const id = keyString(l);
        const seen = latest.get(id);
        const date = l.date < pruned ? pruned : l.date;
        const key = { tenantId: l.tenantId, productId: l.productId, locationId: l.locationId };
        if (!seen) latest.set(id, { key, level: l.level, at: l.at, date });
        else latest.set(id, { key, ...(l.at >= seen.at ? { level: l.level, at: l.at } : { level: seen.level, at: seen.at }), date: date < seen.date ? date : seen.date });
        touched.set(id, key);
      }
      if (latest.size > 0) {
        const rows = [...latest.values()];
        await c.query(
          `INSERT INTO ${s}.series (tenant, product, location, first_day, level, level_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[])
           ON CONFLICT (tenant, product, location) DO UPDATE SET
             first_day = least(${s}.series.first_day, excluded.first_day),
             level = CASE WHEN ${s}.series.level_at IS NULL OR excluded.level_at >= ${s}.series.level_at THEN excluded.level ELSE ${s}.series.level END,
             level_at = greatest(${s}.series.level_at, excluded.level_at)`,
          [rows.map((r) => r.key.tenantId), rows.map((r) => r.key.productId), rows.map((r) => r.key.locationId), rows.map((r) => r.date), rows.map((r) => r.level), rows.map((r) => r.at)],
        );
      }
      return [...touched.values()];
    });
  }

  async snapshot(key: SeriesKey, until: string, maxDays: number): Promise<SeriesSnapshot | undefined> {
    const s = this.s;
    const args = [key.tenantId, key.productId, key.locationId];
    const series = await this.pool.query<{ first_day: string; level: number | null; level_at: string | null }>(
      `SELECT first_day, level, level_at FROM ${s}.series WHERE tenant = $1 AND product = $2 AND location = $3`,
      args,
    );
    const row = series.rows[0];
    if (!row) return undefined;
    const days = await this.pool.query<{ day: string; qty: number }>(
      `SELECT day, qty FROM ${s}.demand WHERE tenant = $1 AND product = $2 AND location = $3 AND day >= $4 AND day <= $5`,
      [...args, row.first_day, until],
    );
    return {
      ...key,
      ...densify(row.first_day, until, maxDays, days.rows.map((d) => [d.day, d.qty] as [string, number])),
      ...(row.level !== null && row.level_at !== null ? { level: { value: row.level, at: row.level_at } } : {}),
    };
  }

  async prune(before: string): Promise<void> {
    const s = this.s;
    await this.transaction(async (c) => {
      await c.query(`DELETE FROM ${s}.demand WHERE day < $1`, [before]);
      await c.query(`DELETE FROM ${s}.origins WHERE day < $1`, [before]);
      await c.query(`UPDATE ${s}.series SET first_day = $1 WHERE first_day < $1`, [before]);
      await c.query(
        `INSERT INTO ${s}.meta (name, value) VALUES ('pruned_before', $1) ON CONFLICT (name) DO UPDATE SET value = greatest(${s}.meta.value, excluded.value)`,
        [before],
      );
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
