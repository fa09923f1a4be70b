import { describe, expect, it } from 'vitest';
import { compileTopic, topicMatches } from '../../../runtime/transport/match.ts';

describe('topicMatches', () => {
  // https://www.rabbitmq.com/tutorials/tutorial-five-javascript
  const tutorial: Array<[string, string[]]> = [
    ['quick.orange.rabbit', ['*.orange.*', '*.*.rabbit']],
    ['lazy.orange.elephant', ['*.orange.*', 'lazy.#']],
    ['quick.orange.fox', ['*.orange.*']],
    ['lazy.brown.fox', ['lazy.#']],
    ['lazy.pink.rabbit', ['*.*.rabbit', 'lazy.#']],
    ['quick.brown.fox', []],
    ['orange', []],
    ['quick.orange.new.rabbit', []],
    ['lazy.orange.new.rabbit', ['lazy.#']],
  ];
  it.each(tutorial)('routes %s as in the RabbitMQ tutorial', (key, expected) => {
    const patterns = ['*.orange.*', '*.*.rabbit', 'lazy.#'];
    expect(patterns.filter((p) => topicMatches(p, key))).toEqual(expected);
  });

  // The binding table of RabbitMQ's own topic-exchange test (unit_SUITE test_topic_matching)
  const bindings: Record<string, string> = {
    t1: 'a.b.c', t2: 'a.*.c', t3: 'a.#.b', t4: 'a.b.b.c', t5: '#', t6: '#.#', t7: '#.b', t8: '*.*',
    t9: 'a.*', t10: '*.b.c', t11: 'a.#', t12: 'a.#.#', t13: 'b.b.c', t14: 'a.b.b', t15: 'a.b', t16: 'b.c',
    t17: '', t18: '*.*.*', t19: 'vodka.martini', t20: 'a.b.c', t21: '*.#', t22: '#.*.#', t23: '*.#.#',
    t24: '#.#.#', t25: '*', t26: '#.b.#',
  };
  const expected: Array<[string, string[]]> = [
    ['a.b.c', ['t1', 't2', 't5', 't6', 't10', 't11', 't12', 't18', 't20', 't21', 't22', 't23', 't24', 't26']],
    ['a.b', ['t3', 't5', 't6', 't7', 't8', 't9', 't11', 't12', 't15', 't21', 't22', 't23', 't24', 't26']],
    ['a.b.b', ['t3', 't5', 't6', 't7', 't11', 't12', 't14', 't18', 't21', 't22', 't23', 't24', 't26']],
    ['', ['t5', 't6', 't17', 't24']],
    ['b.c.c', ['t5', 't6', 't18', 't21', 't22', 't23', 't24', 't26']],
    ['a.a.a.a.a', ['t5', 't6', 't11', 't12', 't21', 't22', 't23', 't24']],
    ['vodka.gin', ['t5', 't6', 't8', 't21', 't22', 't23', 't24']],
    ['vodka.martini', ['t5', 't6', 't8', 't19', 't21', 't22', 't23', 't24']],
    ['b.b.c', ['t5', 't6', 't10', 't13', 't18', 't21', 't22', 't23', 't24', 't26']],
    ['nothing.here.at.all', ['t5', 't6', 't21', 't22', 't23', 't24']],
    ['oneword', ['t5', 't6', 't21', 't22', 't23', 't24', 't25']],
  ];
  it.each(expected)('matches RabbitMQ’s own test table for key "%s"', (key, ids) => {
    const matched = Object.entries(bindings).filter(([, p]) => topicMatches(p, key)).map(([id]) => id);
    expect(matched).toEqual(ids);
  });

  it('lets # alone match everything, the empty key included', () => {
    for (const key of ['', 'a', 'a.b.c', '.', 'a..b']) expect(topicMatches('#', key)).toBe(true);
  });

  it('treats #.# like #', () => {
    for (const key of ['', 'a', 'a.b', '..']) expect(topicMatches('#.#', key)).toBe(true);
  });

  it('lets # stand for zero words at either end or in the middle', () => {
    expect(topicMatches('a.#', 'a')).toBe(true);
    expect(topicMatches('a.#', 'a.b.c')).toBe(true);
    expect(topicMatches('a.#', 'ab')).toBe(false);
    expect(topicMatches('a.#', 'b.a')).toBe(false);
    expect(topicMatches('#.b', 'b')).toBe(true);
    expect(topicMatches('#.b', 'x.y.b')).toBe(true);
    expect(topicMatches('#.b', 'bb')).toBe(false);
    expect(topicMatches('a.#.b', 'a.b')).toBe(true);
    expect(topicMatches('a.#.b', 'a.x.y.b')).toBe(true);
    expect(topicMatches('a.#.b', 'a.x.y')).toBe(false);
    expect(topicMatches('a.#.b', 'ab')).toBe(false);
  });

  it('needs exactly one word for *, so the empty key (zero words) does not match', () => {
    expect(topicMatches('*', '')).toBe(false);
    expect(topicMatches('*', 'a')).toBe(true);
    expect(topicMatches('*', 'a.b')).toBe(false);
    expect(topicMatches('*.#', '')).toBe(false);
    expect(topicMatches('#.*', '')).toBe(false);
  });

  it('counts empty words around double and trailing dots', () => {
    expect(topicMatches('a..b', 'a..b')).toBe(true);
    expect(topicMatches('a.*.b', 'a..b')).toBe(true);
    expect(topicMatches('a.b', 'a..b')).toBe(false);
    expect(topicMatches('*.*', 'a.')).toBe(true);
    expect(topicMatches('*.*', '.')).toBe(true);
    expect(topicMatches('*', '.')).toBe(false);
    expect(topicMatches('a.#', 'a.')).toBe(true);
    expect(topicMatches('.#', '')).toBe(false);
    expect(topicMatches('.#', '.x')).toBe(true);
  });

  it('matches the empty pattern only against the empty key', () => {
    expect(topicMatches('', '')).toBe(true);
    expect(topicMatches('', 'a')).toBe(false);
  });

  it('takes * and # literally when they are part of a word, and regex characters as text', () => {
    expect(topicMatches('a*', 'ab')).toBe(false);
    expect(topicMatches('a*', 'a*')).toBe(true);
    expect(topicMatches('a#.b', 'a#.b')).toBe(true);
    expect(topicMatches('a#.b', 'a.b')).toBe(false);
    expect(topicMatches('a+.(b)', 'a+.(b)')).toBe(true);
    expect(topicMatches('x.*.[z]', 'x.y.[z]')).toBe(true);
    expect(topicMatches('x.*.[z]', 'x.y.z')).toBe(false);
  });

  it('compiles a pattern once and reuses it', () => {
    const first = compileTopic('inventory.*.level.#');
    expect(compileTopic('inventory.*.level.#')).toBe(first);
    expect(first('inventory.stock.level.changed')).toBe(true);
    expect(first('inventory.stock.level')).toBe(true);
    expect(first('orders.stock.level.changed')).toBe(false);
  });

  it('stays fast on many # against a long non-matching key', () => {
    const key = Array.from({ length: 60 }, (_, i) => `w${i}`).join('.');
    const started = performance.now();
    expect(topicMatches('#.a.#.b.#.c.#.d.#', key)).toBe(false);
    // a backtracking matcher takes minutes here; the bound is far above any machine's load
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
