/**
 * `JSON.parse(JSON.stringify(value))` without the text in between, for the plain data events are
 * made of. The hand-written copy takes objects whose prototype is Object.prototype (or null),
 * arrays, strings, finite numbers, booleans and null; it gives up on anything JSON would change or
 * look into (toJSON, a Date or other class instance, undefined, a function, a symbol, a bigint, a
 * non-finite number, an array hole, an own `__proto__` key, nesting deeper than MAX_DEPTH, which a
 * cycle always reaches), and the copy is then the JSON round trip itself: the same value, or the same
 * TypeError JSON.stringify throws.
 */

/** deeper than any event payload; a cycle ends here and JSON.stringify names it */
const MAX_DEPTH = 64;

const NOT_PLAIN: unique symbol = Symbol('not plain JSON');

export interface JsonCopy {
  value: unknown;
  /** true when the value was plain data, so the copy equals it (no value was converted or dropped) */
  exact: boolean;
}

/** The copy, and whether the value needed JSON's conversions to get there. */
export function copyJson(value: unknown): JsonCopy {
  const copy = plainCopy(value);
  return copy !== NOT_PLAIN ? { value: copy, exact: true } : roundTrip(value);
}

/**
 * The copy of a value copyJson made (or parsed): plain data already, so nothing is converted.
 * Key by key, not by spreading the object: V8 gives a spread copy a map of its own, and the first
 * property a handler's pipeline then adds (`event.context`) costs a new map every time.
 */
export function copyJsonValue<T>(value: T): T {
  const copy = plainCopy(value);
  return (copy !== NOT_PLAIN ? copy : roundTrip(value).value) as T;
}

/** The hand-written copy, or NOT_PLAIN when JSON's own rules must decide. */
function plainCopy(value: unknown): unknown {
  return prototypesClean() ? copyPlain(value, 0) : NOT_PLAIN;
}

function roundTrip(value: unknown): JsonCopy {
  const text = JSON.stringify(value);
  // JSON.stringify(undefined) and friends give undefined: there is nothing to parse
  return { value: text === undefined ? undefined : JSON.parse(text), exact: false };
}

function copyPlain(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // `+ 0` turns -0 into 0, as the JSON text "0" does
      return Number.isFinite(value) ? value + 0 : NOT_PLAIN;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) return copyArray(value, depth);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // for…in walks own keys in JSON's order (inherited ones only if Object.prototype has enumerable
  // keys, which prototypesClean rules out once per copy: cheaper than an own-key test per key)
  for (const key in source) {
    if (key === '__proto__' || key === 'toJSON') return NOT_PLAIN;
    const copy = copyPlain(source[key], depth + 1);
    if (copy === NOT_PLAIN) return NOT_PLAIN;
    out[key] = copy;
  }
  return out;
}

/** false when someone added an enumerable key to Object.prototype (for…in would see it, JSON would not) */
function prototypesClean(): boolean {
  for (const _ in Object.prototype) return false;
  return true;
}

function copyArray(value: unknown[], depth: number): unknown[] | typeof NOT_PLAIN {
  if (Object.getPrototypeOf(value) !== Array.prototype) return NOT_PLAIN;
  const n = value.length;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    // a hole reads as undefined: JSON writes null there, so the round trip decides
    const copy = copyPlain(value[i], depth + 1);
    if (copy === NOT_PLAIN) return NOT_PLAIN;
    out.push(copy);
  }
  return out;
}
