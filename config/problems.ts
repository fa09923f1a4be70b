/** One thing wrong with the config, located by path (`bindings["x/y"].retry.maxAttempts`) or by the
 * environment variable / CLI flag that carried it (`EVENT_BUS_MAX_RETRIES`, `--http-port`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** A partial config plus the problems found while building it, so every source reports at once. */
export interface Overlay {
  config: Record<string, unknown>;
  problems: ConfigProblem[];
  /** formatted config path → the variable or flag that set it, to point schema errors at their origin */
  sources: Record<string, string>;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The path form of every config problem: identifiers joined by dots, record keys as `["…"]`, indices as `[0]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Writes `value` at a dotted path, creating plain objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, yes: true, false: false, '0': false, no: false };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseBoolean(raw: string): Parsed<boolean> {
  const value = BOOLEANS[raw.trim().toLowerCase()];
  return value === undefined
    ? { ok: false, message: `expected true/false/1/0/yes/no, got ${JSON.stringify(raw)}` }
    : { ok: true, value };
}

export function parseInteger(raw: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Parsed<number> {
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) return { ok: false, message: `expected an integer, got ${JSON.stringify(raw)}` };
  const value = Number(text);
  if (value < min || value > max) return { ok: false, message: `expected an integer from ${min} to ${max}, got ${value}` };
  return { ok: true, value };
}

export function parseChoice<T extends string>(raw: string, choices: readonly T[]): Parsed<T> {
  const text = raw.trim();
  return (choices as readonly string[]).includes(text)
    ? { ok: true, value: text as T }
    : { ok: false, message: `expected one of ${choices.join('|')}, got ${JSON.stringify(raw)}` };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const TRANSPORTS = ['memory', 'amqp'] as const;
export const QUEUE_TYPES = ['classic', 'quorum'] as const;

/** Plain data objects only: arrays, class instances and module namespaces are not merged or walked. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || (proto === null && Object.prototype.toString.call(value) === '[object Object]');
}
