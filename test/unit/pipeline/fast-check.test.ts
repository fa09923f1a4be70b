import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z, type ZodType } from 'zod';
import { compileCheck } from '../../../runtime/events/fast-check.ts';
import { SchemaRegistry } from '../../../runtime/events/schemas.ts';
import { catalogSchemas } from '../../../runtime/events/catalog/index.ts';

/** A small deterministic PRNG, so a failure names a reproducible case. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const oddValues: unknown[] = [
  undefined, null, true, false, 0, -0, 1, -1, 0.5, -2.5, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, Number.NaN, Infinity, -Infinity,
  '', 'a', 'ID-JK', 'ID-jk', 'xID-JK', '😀', '\ud83d', 'in', 'out', 'IDR', 'idr', [], [1], ['a'], {}, { a: 1 }, new Date(0), () => 1,
];

/** A value shaped by the schema, then bent: fields dropped, swapped for odd values, extra keys. */
function sample(schema: ZodType, next: () => number, depth = 0): unknown {
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  if (next() < 0.08) return pick(oddValues);
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape as Record<string, ZodType>)) {
        const r = next();
        if (r < 0.1) continue; // dropped
        out[key] = r < 0.2 ? pick(oddValues) : sample(field, next, depth + 1);
      }
      if (next() < 0.3) out[pick(['extra', 'pad', '__proto__', 'seq'])] = pick(oddValues);
      return out;
    }
    case 'optional':
      return next() < 0.3 ? undefined : sample(def.innerType, next, depth + 1);
    case 'string':
      return pick(['SKU-1', 'ID-JK', 'ID-BA', 'id-jk', '', 'x', '😀', '\ud83d', 'a'.repeat(40)]);
    case 'number':
      return pick([0, 1, 5, -1, 0.5, 19, 2 ** 53, 2 ** 53 - 1, -0, Number.NaN, Infinity]);
    case 'boolean':
      return pick([true, false, 'true', 0]);
    case 'enum':
      return pick([...Object.values(def.entries as Record<string, unknown>), 'IN', 'other']);
    case 'literal':
      return pick([...(def.values as unknown[]), 'usd']);
    case 'array':
      return depth > 4 ? [] : Array.from({ length: Math.floor(next() * 4) }, () => sample(def.element, next, depth + 1));
    default:
      return pick(oddValues);
  }
}

describe('compiled schema checks', () => {
  it('compiles every seed schema', () => {
    for (const [type, schema] of catalogSchemas()) expect(compileCheck(schema), type).toBeTypeOf('function');
  });

  it('accepts exactly what zod accepts, over 4,000 bent payloads per seed schema', () => {
    let accepted = 0;
    let rejected = 0;
    for (const [type, schema] of catalogSchemas()) {
      const check = compileCheck(schema)!;
      const next = rng(type.length * 7919);
      for (let i = 0; i < 4_000; i++) {
        const value = sample(schema, next);
        const verdict = schema.safeParse(value).success;
        if (check(value) !== verdict) throw new Error(`${type} #${i}: zod says ${verdict} for ${JSON.stringify(value)}`);
        if (verdict) accepted++;
        else rejected++;
      }
    }
    // the generator must exercise both sides, or the comparison proves nothing
    expect(accepted).toBeGreaterThan(5_000);
    expect(rejected).toBeGreaterThan(5_000);
  });

  it('counts string lengths in code points, as zod does', () => {
    const cases: [ZodType, unknown[]][] = [
      [z.string().min(2), ['😀', '😀😀', 'ab', 'a', '\ud83d\ud83d', '\ud83d']],
      [z.string().max(1), ['😀', 'ab', 'a', '😀a', '\ud83d\ude00\ude00']],
      [z.array(z.number()).min(1).max(2), [[], [1], [1, 2], [1, 2, 3]]],
    ];
    for (const [schema, values] of cases) {
      const check = compileCheck(schema)!;
      expect(check).toBeTypeOf('function');
      for (const v of values) expect(check(v), JSON.stringify(v)).toBe(schema.safeParse(v).success);
    }
  });

  it('leaves to zod what it cannot reproduce exactly', () => {
    const refined = z.object({ a: z.string() }).refine((o) => o.a !== 'x');
    for (const schema of [
      z.object({ a: z.string() }).strict(),
      refined,
      z.string().transform((s) => s.length),
      z.object({ a: z.string().default('x') }),
      z.union([z.string(), z.number()]),
      z.coerce.number(),
      z.string().email(),
      z.object({ a: z.string() }).catchall(z.number()),
      z.string().min(1, { when: () => true } as never),
    ] as ZodType[]) {
      expect(compileCheck(schema)).toBeUndefined();
    }
  });

  it('reads keys of any spelling as data, never as code', () => {
    const odd = ['a"b', "a'); throw new Error('injected'); ('", '\\', '\u2028', 'constructor', 'x y', '0', ''];
    const schema = z.object(Object.fromEntries(odd.map((k) => [k, z.string().regex(/^ok$/)])));
    const check = compileCheck(schema)!;
    expect(check).toBeTypeOf('function');
    const good = Object.fromEntries(odd.map((k) => [k, 'ok']));
    expect(check(good)).toBe(true);
    for (const k of odd) {
      const bad = { ...good, [k]: 'no' };
      expect(check(bad), k).toBe(schema.safeParse(bad).success);
    }
  });

  it('leaves the verdict to zod where code generation is disabled', () => {
    const script = `
      import { z } from 'zod';
      import { compileCheck } from './runtime/events/fast-check.ts';
      import { SchemaRegistry } from './runtime/events/schemas.ts';
      const registry = new SchemaRegistry();
      console.log(JSON.stringify({
        compiled: typeof compileCheck(z.object({ a: z.string() })),
        ok: registry.problemsOf('inventory.stock.level.changed', { productId: 'p', locationId: 'l', previousLevel: 1, newLevel: 0, quantityChanged: -1 }) ?? null,
        bad: registry.problemsOf('inventory.stock.level.changed', { productId: 1 })?.length ?? 0,
      }));`;
    const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const answer = JSON.parse(out.trim().split('\n').at(-1)!) as { compiled: string; ok: unknown; bad: number };
    expect(answer).toEqual({ compiled: 'undefined', ok: null, bad: expect.any(Number) });
    expect(answer.bad).toBeGreaterThan(0);
  });

  it('the registry answers with zod’s messages when the predicate says no', () => {
    const registry = new SchemaRegistry();
    expect(registry.problemsOf('inventory.stock.level.changed', { productId: 'p', locationId: 'l', previousLevel: 1, newLevel: 0, quantityChanged: -1 })).toBeUndefined();
    const seedShaped = {
      productData: { id: '', sku: 'S' },
      locationData: { id: 'l' },
      stockMovement: { type: 'out', quantity: 1.5 },
      stockLevel: { previous: -1, current: 0 },
    };
    expect(registry.problemsOf('inventory.stock.level.changed', seedShaped)).toEqual([
      expect.stringMatching(/^data\.productData\.id: /),
      expect.stringMatching(/^data\.stockMovement\.quantity: /),
      expect.stringMatching(/^data\.stockLevel\.previous: /),
      'data: matches no older version of inventory.stock.level.changed either (v1)',
    ]);
    expect(registry.problemsOf('no.such.type', 42)).toBeUndefined();
    // a plugin's schema the predicate cannot cover is still checked, by zod
    registry.register('plugin.thing.happened', z.object({ n: z.number() }).refine((o) => o.n > 1, { message: 'n must exceed 1' }));
    expect(registry.problemsOf('plugin.thing.happened', { n: 1 })).toEqual(['data: n must exceed 1']);
    expect(registry.problemsOf('plugin.thing.happened', { n: 2 })).toBeUndefined();
  });
});
