import { z, type ZodType } from 'zod';

/** Answers "does zod accept this value?" without building zod's output. */
export type FastCheck = (value: unknown) => boolean;

/**
 * zod always builds an output object (about 1.2 KB of garbage per payload, twice per event: on
 * publish and on delivery). Payloads are valid almost always, so the registry first asks a plain
 * predicate compiled from the schema's definition and calls zod only when the predicate says no,
 * for zod's verdict and its messages.
 *
 * Only what the predicate reproduces exactly is compiled: objects (passthrough or strip), strings
 * with length and regex checks, numbers with integer and bound checks, booleans, enums, literals,
 * arrays, optional, unknown. Anything else (transforms, refinements, defaults, coercion, unions…)
 * returns undefined and the schema is checked by zod alone. Whatever the predicate accepts, zod
 * accepts (test/unit/pipeline/fast-check.test.ts holds the two side by side).
 */
export function compileCheck(schema: ZodType): FastCheck | undefined {
  const source = new Source();
  let entry: string;
  try {
    entry = source.check(schema as unknown as Schema, 'v');
  } catch {
    return undefined;
  }
  return source.build(entry);
}

interface Schema {
  _zod: { def: Def; optin?: string };
}

interface Def {
  type: string;
  coerce?: boolean;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  element?: Schema;
  entries?: Record<string, unknown>;
  values?: unknown[];
}

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: unknown;
  inclusive?: boolean;
  when?: unknown;
}

class Unsupported extends Error {}

/**
 * zod gives every length check a default `when` (run on values that have a length). The predicate
 * reproduces that one; a length check with its own `when` is left to zod.
 */
const defaultLengthWhen = (z.string().min(1) as unknown as Schema)._zod.def.checks?.[0]?._zod.def.when;

/**
 * The predicate is generated as JavaScript source (as ajv and fast-json-stringify do): one
 * function per object and array schema, property reads and comparisons inline. The same checks
 * built as a tree of closures cost about three times as much per payload: a call per field.
 * Schema keys and enum strings reach the source only through JSON.stringify, bounds only as finite
 * numbers (any other bound is left to zod); regexes and sets sit in a constants array. Where code generation is disabled
 * (`--disallow-code-generation-from-strings`), zod alone decides.
 */
class Source {
  private readonly functions: string[] = [];
  private readonly constants: unknown[] = [];

  /** `entry`: the expression check() gave for the whole schema */
  build(entry: string): FastCheck | undefined {
    const body = `${this.functions.join('\n')}\nreturn function check(v) { return ${entry}; };`;
    try {
      return new Function('k', 'codePointLength', body)(this.constants, codePointLength) as FastCheck;
    } catch {
      return undefined;
    }
  }

  /** A boolean expression: does zod accept the value held in the variable `v`? */
  check(schema: Schema, v: string): string {
    const def = schema._zod.def;
    if (def.coerce) throw new Unsupported();
    switch (def.type) {
      case 'string':
        return this.withChecks(`typeof ${v} === 'string'`, def, v, (c) => this.stringCheck(c, v));
      case 'number':
        return this.withChecks(`typeof ${v} === 'number' && Number.isFinite(${v})`, def, v, (c) => numberCheck(c, v));
      case 'boolean':
        return this.withChecks(`typeof ${v} === 'boolean'`, def, v, () => undefined);
      case 'unknown':
      case 'any':
        return this.withChecks('true', def, v, () => undefined);
      case 'enum':
        return this.withChecks(this.oneOf(enumValues(def.entries ?? {}), v), def, v, () => undefined);
      case 'literal':
        return this.withChecks(this.oneOf(def.values ?? [], v), def, v, () => undefined);
      case 'optional': {
        const inner = def.innerType!;
        // a defaulted inner schema substitutes a value for undefined: zod's output differs from its input
        if (inner._zod.optin === 'defaulted') throw new Unsupported();
        return this.withChecks(`(${v} === undefined || (${this.check(inner, v)}))`, def, v, () => undefined);
      }
      case 'array': {
        const element = this.check(def.element!, 'e');
        const name = this.define('a', `if (!Array.isArray(a)) return false;\nfor (let i = 0; i < a.length; i++) { const e = a[i]; if (!(${element})) return false; }\nreturn true;`);
        return this.withChecks(`${name}(${v})`, def, v, (c) => lengthCheck(c, v));
      }
      case 'object':
        return this.withChecks(`${this.object(def)}(${v})`, def, v, () => undefined);
      default:
        throw new Unsupported();
    }
  }

  private object(def: Def): string {
    const catchall = def.catchall?._zod.def.type;
    // strip (no catchall) and passthrough (unknown) accept any extra key; strict and typed catchalls are zod's
    if (catchall !== undefined && catchall !== 'unknown' && catchall !== 'any') throw new Unsupported();
    const shape = def.shape ?? {};
    if (Object.getOwnPropertySymbols(shape).length > 0) throw new Unsupported();
    const lines = ["if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;", 'let x;'];
    for (const key of Object.keys(shape)) {
      if (key === '__proto__') continue;
      lines.push(`x = o[${JSON.stringify(key)}]; if (!(${this.check(shape[key]!, 'x')})) return false;`);
    }
    lines.push('return true;');
    return this.define('o', lines.join('\n'));
  }

  /** The type test, then every check of the schema (zod runs checks only on a value of the right type). */
  private withChecks(base: string, def: Def, v: string, one: (c: CheckDef) => string | undefined): string {
    const parts = [base];
    for (const c of def.checks ?? []) {
      const cd = c._zod.def;
      if (cd.when !== undefined && !(cd.when === defaultLengthWhen && (cd.check === 'min_length' || cd.check === 'max_length'))) throw new Unsupported();
      const check = one(cd);
      if (check === undefined) throw new Unsupported();
      parts.push(check);
    }
    return parts.length === 1 ? base : `(${parts.map((p) => `(${p})`).join(' && ')})`;
  }

  private stringCheck(c: CheckDef, v: string): string | undefined {
    if (c.check === 'string_format' && c.format === 'regex' && c.pattern instanceof RegExp) {
      const pattern = this.constant(c.pattern);
      return `(${pattern}.lastIndex = 0, ${pattern}.test(${v}))`;
    }
    return lengthCheck(c, v);
  }

  /** strings compare inline (a handful of `===`); anything else through a Set, as SameValueZero */
  private oneOf(values: unknown[], v: string): string {
    if (values.length > 0 && values.length <= 8 && values.every((x) => typeof x === 'string')) {
      return `(${values.map((x) => `${v} === ${JSON.stringify(x)}`).join(' || ')})`;
    }
    return `${this.constant(new Set(values))}.has(${v})`;
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  }

  private define(param: string, body: string): string {
    const name = `f${this.functions.length}`;
    this.functions.push(`function ${name}(${param}) {\n${body}\n}`);
    return name;
  }
}

/** zod measures strings in code points, counting them only when the UTF-16 length leaves it in doubt */
function lengthCheck(c: CheckDef, v: string): string | undefined {
  if (c.check === 'min_length' && isFiniteNumber(c.minimum)) {
    const min = c.minimum;
    return `(typeof ${v} === 'string' && ${v}.length >= ${min} && ${v}.length < ${min * 2} ? codePointLength(${v}) : ${v}.length) >= ${min}`;
  }
  if (c.check === 'max_length' && isFiniteNumber(c.maximum)) {
    const max = c.maximum;
    return `(typeof ${v} === 'string' && ${v}.length > ${max} ? codePointLength(${v}) : ${v}.length) <= ${max}`;
  }
  return undefined;
}

function codePointLength(s: string): number {
  let count = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

function numberCheck(c: CheckDef, v: string): string | undefined {
  if (c.check === 'number_format' && c.format === 'safeint') return `Number.isSafeInteger(${v})`;
  if ((c.check === 'greater_than' || c.check === 'less_than') && isFiniteNumber(c.value)) {
    const op = c.check === 'greater_than' ? (c.inclusive ? '>=' : '>') : c.inclusive ? '<=' : '<';
    return `${v} ${op} ${literal(c.value)}`;
  }
  return undefined;
}

/** bounds are written into the source: only numbers whose text reads back the same (-0 is written as 0, which compares alike) */
function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function literal(n: number): string {
  return `(${Object.is(n, -0) ? '0' : String(n)})`;
}

/** zod's getEnumValues: a TypeScript numeric enum's reverse mappings are not values */
function enumValues(entries: Record<string, unknown>): unknown[] {
  const numericValues = Object.values(entries).filter((v) => typeof v === 'number');
  return Object.entries(entries)
    .filter(([k]) => numericValues.indexOf(+k) === -1)
    .map(([, v]) => v);
}
