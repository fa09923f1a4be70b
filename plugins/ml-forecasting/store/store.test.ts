import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { MemoryDemandStore } from './memory.ts';
import { PostgresDemandStore } from './postgres.ts';
import { SqliteDemandStore } from './sqlite.ts';
import type { DemandStore } from './types.ts';

/**
 * One contract, every store: the same tests run against each implementation. PostgreSQL is the
 * machine's local server (127.0.0.1:5432, database `test`; MLF_POSTGRES_URL overrides), each run
 * in a schema of its own that is dropped afterwards.
 */

const dir = mkdtempSync(join(tmpdir(), 'mlf-store-'));
const pgUrl = process.env.MLF_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];
const newSchema = () => {
  const name = `t_mlf_${Math.random().toString(36).slice(2, 10)}`;
  schemas.push(name);
  return name;
};
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

const key = { tenantId: 't1', productId: 'P', locationId: 'L' };
const sale = (origin: string, date: string, quantity: number) => ({ ...key, origin, date, quantity });
const level = (value: number, at: string) => ({ ...key, level: value, at, date: at.slice(0, 10) });

const stores: [string, () => Promise<DemandStore>][] = [
  ['memory', async () => new MemoryDemandStore()],
  ['sqlite', async () => new SqliteDemandStore(join(dir, `${Math.random().toString(36).slice(2)}.sqlite`))],
  ['postgres', () => PostgresDemandStore.open(pgUrl, newSchema())],
];

describe.each(stores)('%s demand store', (_name, make) => {
  it('counts an origin once, however often it is recorded', async () => {
    const store = await make();
    await store.record({ demand: [sale('o1', '2026-01-02', 3), sale('o1', '2026-01-02', 3)], levels: [] });
    await store.record({ demand: [sale('o1', '2026-01-02', 3), sale('o2', '2026-01-02', 2)], levels: [] });
    expect(await store.snapshot(key, '2026-01-02', 30)).toMatchObject({ start: '2026-01-02', values: [5] });
    await store.close();
  });

  it('fills days without sales with zeros and keeps at most maxDays', async () => {
    const store = await make();
    await store.record({ demand: [sale('a', '2026-01-01', 1), sale('b', '2026-01-04', 4)], levels: [] });
    expect(await store.snapshot(key, '2026-01-05', 30)).toMatchObject({ start: '2026-01-01', values: [1, 0, 0, 4, 0] });
    expect(await store.snapshot(key, '2026-01-05', 2)).toMatchObject({ start: '2026-01-04', values: [4, 0] });
    expect(await store.snapshot({ ...key, productId: 'unknown' }, '2026-01-05', 30)).toBeUndefined();
    await store.close();
  });

  it('keeps the latest stock level, whatever order the movements arrive in', async () => {
    const store = await make();
    await store.record({ demand: [], levels: [level(40, '2026-01-03T05:00:00.000Z')] });
    await store.record({ demand: [], levels: [level(55, '2026-01-02T05:00:00.000Z')] });
    expect((await store.snapshot(key, '2026-01-03', 30))?.level).toEqual({ value: 40, at: '2026-01-03T05:00:00.000Z' });
    // the product is tracked from the first day anything was seen of it
    expect(await store.snapshot(key, '2026-01-03', 30)).toMatchObject({ start: '2026-01-02', values: [0, 0] });
    await store.close();
  });

  it('reports every series a batch touched, once each', async () => {
    const store = await make();
    const other = { ...key, locationId: 'L2' };
    const touched = await store.record({ demand: [sale('x', '2026-01-01', 1), sale('y', '2026-01-01', 1), { ...other, origin: 'z', date: '2026-01-01', quantity: 1 }], levels: [] });
    expect(touched).toHaveLength(2);
    await store.close();
  });

  it('prunes old days and ignores late events from before the cut', async () => {
    const store = await make();
    await store.record({ demand: [sale('a', '2026-01-01', 1), sale('b', '2026-01-05', 5)], levels: [] });
    await store.prune('2026-01-03');
    await store.record({ demand: [sale('late', '2026-01-02', 9)], levels: [] });
    expect(await store.snapshot(key, '2026-01-05', 30)).toMatchObject({ start: '2026-01-03', values: [0, 0, 5] });
    await store.close();
  });
});

describe('sqlite demand store file', () => {
  it('still has the series and the origins after reopening', async () => {
    const path = join(dir, 'reopen.sqlite');
    const first = new SqliteDemandStore(path);
    await first.record({ demand: [sale('o1', '2026-01-02', 3)], levels: [level(7, '2026-01-02T01:00:00.000Z')] });
    await first.close();
    const second = new SqliteDemandStore(path);
    await second.record({ demand: [sale('o1', '2026-01-02', 3)], levels: [] }); // a redelivery after the restart
    expect(await second.snapshot(key, '2026-01-02', 30)).toEqual({ ...key, start: '2026-01-02', values: [3], level: { value: 7, at: '2026-01-02T01:00:00.000Z' } });
    await second.close();
  });
});

describe('postgres demand store shared by two hosts', () => {
  it('counts a sale once when two hosts record it at the same time', async () => {
    const schema = newSchema();
    const [a, b] = [await PostgresDemandStore.open(pgUrl, schema), await PostgresDemandStore.open(pgUrl, schema)];
    const batch = { demand: Array.from({ length: 20 }, (_, i) => sale(`o${i}`, '2026-01-02', 1)), levels: [level(3, '2026-01-02T02:00:00.000Z')] };
    await Promise.all([a.record(batch), b.record(batch), a.record(batch)]);
    expect(await b.snapshot(key, '2026-01-02', 30)).toMatchObject({ values: [20], level: { value: 3 } });
    await Promise.all([a.close(), b.close()]);
  });
});
