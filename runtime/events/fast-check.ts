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
  try {
    return compile(schema as unknown as Schema);
  } catch {
    return undefined;
  }
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

function compile(schema: Schema): FastCheck {
  const def = schema._zod.def;
  if (def.coerce) throw new Unsupported();
  switch (def.type) {
    case 'string':
      return withChecks((v) => typeof v === 'string', def, stringCheck);
    case 'number':
      return withChecks((v) => typeof v === 'number' && Number.isFinite(v), def, numberCheck);
    case 'boolean':
      return withChecks((v) => typeof v === 'boolean', def, () => undefined);
    case 'unknown':
    case 'any':
      return withChecks(() => true, def, () => undefined);
    case 'enum': {
      const values = new Set(enumValues(def.entries ?? {}));
      return withChecks((v) => values.has(v), def, () => undefined);
    }
    case 'literal': {
      const values = new Set(def.values ?? []);
      return withChecks((v) => values.has(v), def, () => undefined);
    }
    case 'optional': {
      const inner = def.innerType!;
      // a defaulted inner schema substitutes a value for undefined: zod's output differs from its input
      if (inner._zod.optin === 'defaulted') throw new Unsupported();
      const check = compile(inner);
      return withChecks((v) => v === undefined || check(v), def, () => undefined);
    }
    case 'array': {
      const element = compile(def.element!);
      return withChecks(
        (v) => {
          if (!Array.isArray(v)) return false;
          for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
          return true;
        },
        def,
        lengthCheck,
      );
    }
    case 'object':
      return withChecks(objectCheck(def), def, () => undefined);
    default:
      throw new Unsupported();
  }
}

function objectCheck(def: Def): FastCheck {
  const catchall = def.catchall?._zod.def.type;
  // strip (no catchall) and passthrough (unknown) accept any extra key; strict and typed catchalls are zod's
  if (catchall !== undefined && catchall !== 'unknown' && catchall !== 'any') throw new Unsupported();
  const shape = def.shape ?? {};
  if (Object.getOwnPropertySymbols(shape).length > 0) throw new Unsupported();
  const keys = Object.keys(shape).filter((k) => k !== '__proto__');
  const checks = keys.map((k) => compile(shape[k]!));
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) if (!checks[i]!(record[keys[i]!])) return false;
    return true;
  };
}

/** The type test, then every check of the schema (zod runs checks only on a value of the right type). */
function withChecks(base: FastCheck, def: Def, one: (c: CheckDef) => FastCheck | undefined): FastCheck {
  const checks = (def.checks ?? []).map((c) => {
    const cd = c._zod.def;
    if (cd.when !== undefined && !(cd.when === defaultLengthWhen && (cd.check === 'min_length' || cd.check === 'max_length'))) throw new Unsupported();
    const check = one(cd);
    if (!check) throw new Unsupported();
    return check;
  });
  if (checks.length === 0) return base;
  return (v) => {
    if (!base(v)) return false;
    for (let i = 0; i < checks.length; i++) if (!checks[i]!(v)) return false;
    return true;
  };
}

function stringCheck(c: CheckDef): FastCheck | undefined {
  if (c.check === 'string_format' && c.format === 'regex' && c.pattern instanceof RegExp) {
    const pattern = c.pattern;
    return (v) => {
      pattern.lastIndex = 0;
      return pattern.test(v as string);
    };
  }
  return lengthCheck(c);
}

/** zod measures strings in code points, counting them only when the UTF-16 length leaves it in doubt */
function lengthCheck(c: CheckDef): FastCheck | undefined {
  if (c.check === 'min_length' && typeof c.minimum === 'number') {
    const min = c.minimum;
    return (v) => {
      const units = (v as { length: number }).length;
      return (typeof v === 'string' && units >= min && units < min * 2 ? codePointLength(v) : units) >= min;
    };
  }
  if (c.check === 'max_length' && typeof c.maximum === 'number') {
    const max = c.maximum;
    return (v) => {
      const units = (v as { length: number }).length;
      return (typeof v === 'string' && units > max ? codePointLength(v) : units) <= max;
    };
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

function numberCheck(c: CheckDef): FastCheck | undefined {
  if (c.check === 'number_format' && c.format === 'safeint') return (v) => Number.isSafeInteger(v);
  if ((c.check === 'greater_than' || c.check === 'less_than') && typeof c.value === 'number') {
    const bound = c.value;
    if (c.check === 'greater_than') return c.inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound;
    return c.inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound;
  }
  return undefined;
}

/** zod's getEnumValues: a TypeScript numeric enum's reverse mappings are not values */
function enumValues(entries: Record<string, unknown>): unknown[] {
  const numericValues = Object.values(entries).filter((v) => typeof v === 'number');
  return Object.entries(entries)
    .filter(([k]) => numericValues.indexOf(+k) === -1)
    .map(([, v]) => v);
}
