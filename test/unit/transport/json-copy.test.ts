import { afterEach, describe, expect, it } from 'vitest';
import { copyJson, copyJsonValue } from '../../../runtime/transport/json-copy.ts';

/** what the bytes would give: the reference every copy is held to */
const viaText = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('copyJson: JSON.parse(JSON.stringify(x)) without the text', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it('copies plain data deeply: equal, not shared, and exact', () => {
    const data = { sku: 'SKU-1', qty: -1, ok: true, none: null, tags: ['a', { b: 2 }], nested: { deep: { deeper: [1, 2.5] } } };
    const { value, exact } = copyJson(data);
    expect(exact).toBe(true);
    expect(value).toEqual(data);
    const copy = value as typeof data;
    expect(copy.nested).not.toBe(data.nested);
    expect(copy.tags[1]).not.toBe(data.tags[1]);
    copy.nested.deep.deeper.push(3);
    expect(data.nested.deep.deeper).toEqual([1, 2.5]);
  });

  it('turns a Date into its ISO string and honours toJSON, as JSON.stringify does', () => {
    const at = new Date(Date.UTC(2026, 2, 1, 2, 3, 4, 5));
    const money = { amount: 5, toJSON: () => 'IDR 5' };
    const { value, exact } = copyJson({ at, money, list: [at] });
    expect(value).toEqual({ at: '2026-03-01T02:03:04.005Z', money: 'IDR 5', list: ['2026-03-01T02:03:04.005Z'] });
    expect(exact).toBe(false);
  });

  it('drops undefined in objects, writes null for undefined, NaN and Infinity in arrays and for non-finite numbers', () => {
    const input = { gone: undefined, fn: () => 1, nan: NaN, inf: -Infinity, list: [undefined, NaN, Infinity, () => 1, 1] };
    const { value, exact } = copyJson(input);
    expect(value).toEqual({ nan: null, inf: null, list: [null, null, null, null, 1] });
    expect(Object.keys(value as object)).toEqual(['nan', 'inf', 'list']);
    expect(exact).toBe(false);
  });

  it('writes -0 as 0, holes as null, class instances and Maps as their own enumerable keys', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      get sum(): number {
        return this.x + this.y;
      }
    }
    const input = { zero: -0, holes: [1, , 3], point: new Point(1, 2), map: new Map([['k', 1]]) };
    const { value } = copyJson(input);
    expect(value).toEqual(viaText(input));
    expect(Object.is((value as { zero: number }).zero, 0)).toBe(true);
    expect(Object.getPrototypeOf((value as { point: object }).point)).toBe(Object.prototype);
  });

  it('keeps an own "__proto__" key a key, never a prototype', () => {
    const input = JSON.parse('{"__proto__": {"admin": true}, "name": "x"}') as Record<string, unknown>;
    const value = copyJson(input).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value as { admin?: boolean }).admin).toBeUndefined();
    expect(JSON.stringify(value)).toBe(JSON.stringify(input));
    expect(JSON.stringify(copyJsonValue(value))).toBe(JSON.stringify(input));
  });

  it('throws what JSON.stringify throws for a cycle and for a bigint', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = { back: cyclic };
    const expected = thrownBy(() => JSON.stringify(cyclic));
    const actual = thrownBy(() => copyJson(cyclic));
    expect(actual).toBeInstanceOf(TypeError);
    expect(actual.constructor).toBe(expected.constructor);
    expect(actual.message).toBe(expected.message);
    expect(thrownBy(() => copyJson({ big: 10n }))).toBeInstanceOf(TypeError);
  });

  it('copies nesting deeper than the hand-written copy goes by the JSON round trip', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 200; i++) deep = { next: deep, i };
    const { value, exact } = copyJson(deep);
    expect(value).toEqual(deep);
    expect(exact).toBe(false);
  });

  it('ignores a key someone added to Object.prototype, as JSON does', () => {
    (Object.prototype as Record<string, unknown>).polluted = 'yes';
    const input = { a: { b: 1 } };
    const value = copyJson(input).value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['a']);
    expect(Object.keys(copyJsonValue(value))).toEqual(['a']);
    expect(JSON.stringify(value)).toBe('{"a":{"b":1}}');
  });

  it('agrees with the JSON round trip on a mix of awkward values', () => {
    const samples: unknown[] = [
      'text',
      0,
      -0,
      1e21,
      Number.MAX_SAFE_INTEGER,
      '\ud800 lone surrogate',
      { 'ünïcode ✓': ['€', '☪'] },
      { 10: 'ten', 2: 'two', b: 'b', a: 'a' },
      [[[]], {}, [{}]],
      { nested: { fn() {}, sym: Symbol('s'), [Symbol('key')]: 1, kept: 'yes' } },
      Object.assign(Object.create(null) as object, { bare: true }),
    ];
    for (const sample of samples) {
      expect(copyJson(sample).value).toEqual(viaText(sample));
      expect(JSON.stringify(copyJson(sample).value)).toBe(JSON.stringify(sample));
    }
  });
});
