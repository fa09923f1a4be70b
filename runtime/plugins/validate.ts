import { basename, isAbsolute, relative, sep } from 'node:path';
import { z } from 'zod';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { PluginDefinition } from './types.ts';

/**
 * Run-time check of what a plugin folder default-exports. A plugin is often plain
 * JavaScript or skips `definePlugin`, so the types alone prove nothing. Every problem is collected
 * and reported in one error, each naming the field and the fix, so an author fixes them in one go.
 */

/** dot-separated words of [A-Za-z0-9_-], or `*` (exactly one word) or `#` (zero or more words) */
export const TOPIC_PATTERN = /^(?:[A-Za-z0-9_-]+|\*|#)(?:\.(?:[A-Za-z0-9_-]+|\*|#))*$/;
/** exchange and queue names, unprefixed (the runtime adds `<prefix>.`) */
export const ENTITY_NAME = /^[A-Za-z0-9_.-]+$/;
export const PLUGIN_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** handler names end up in queue names (`<plugin>.<handler>`) and binding keys (`plugin/handler`) */
export const HANDLER_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;

const TOPIC_HELP = 'dot-separated words of letters, digits, _ or -, or * (one word) or # (any words)';

/** A zod object that rejects unknown fields (a typo like `retries:` must not be ignored silently). */
function strictObject<S extends z.ZodRawShape>(shape: S, expected: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${known})`
        : expected,
  });
}

const int = (min: number, msg: string) => z.number({ error: msg }).int({ error: msg }).min(min, { error: msg });
const fn = (msg: string) => z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', { error: msg });
const isZodSchema = (v: unknown) =>
  typeof v === 'object' && v !== null && typeof (v as { safeParse?: unknown }).safeParse === 'function';
const name = (what: string, example: string) =>
  z
    .string({ error: `must be ${what} name without the prefix, e.g. "${example}"` })
    .regex(ENTITY_NAME, { error: `must be ${what} name without the prefix, e.g. "${example}" (letters, digits, _ . - only)` });

const positive = 'must be a positive integer';

const handlerSchema = strictObject(
  {
    subscribe: strictObject(
      {
        exchange: name('an exchange', 'inventory.events').optional(),
        routingKeys: z
          .array(
            z.string({ error: `must be a string (${TOPIC_HELP})` }).refine((k) => TOPIC_PATTERN.test(k), {
              error: (iss) => `"${String(iss.input)}" is not a valid topic pattern (${TOPIC_HELP})`,
            }),
            { error: "must be an array of event types or patterns, e.g. ['inventory.stock.level.changed']" },
          )
          .min(1, { error: "must list at least one event type or pattern, e.g. ['inventory.stock.level.changed']" }),
        queue: name('a queue', 'ml.forecasting').optional(),
      },
      "must be an object like { routingKeys: ['inventory.stock.level.changed'] }",
    ),
    mode: z.enum(['inline', 'worker'], { error: "must be 'inline' or 'worker'" }).optional(),
    batch: strictObject(
      {
        size: int(1, 'must be an integer ≥ 1 (events per batch)').optional(),
        flushMs: int(1, 'must be an integer ≥ 1 (ms before a partial batch is handled)').optional(),
      },
      'must be an object like { size: 50, flushMs: 1000 }',
    ).optional(),
    retry: strictObject(
      {
        maxAttempts: int(1, 'must be an integer ≥ 1 (1 = no retry)').optional(),
        delayMs: int(0, 'must be an integer ≥ 0 (ms before the first retry)').optional(),
        multiplier: z.number({ error: 'must be a number ≥ 1 (1 = same delay every time)' })
          .min(1, { error: 'must be a number ≥ 1 (1 = same delay every time)' })
          .optional(),
        maxDelayMs: int(0, 'must be an integer ≥ 0 (cap on the delay between attempts)').optional(),
      },
      'must be an object like { maxAttempts: 3, delayMs: 5000 }',
    ).optional(),
    timeoutMs: int(1, `${positive} (ms, e.g. 30000)`).optional(),
    prefetch: int(1, `${positive} (unacked deliveries, e.g. 50)`).optional(),
    concurrency: int(1, `${positive} (handler calls at once, e.g. 8)`).optional(),
    handle: fn('must be a function (add async handle(event, ctx) {...})'),
  },
  'must be an object with subscribe and handle, e.g. { subscribe: { routingKeys: [...] }, async handle(event, ctx) {...} }',
);

const pluginSchema = strictObject(
  {
    name: z
      .string({ error: 'must be a string equal to the folder name, e.g. "low-stock-alert"' })
      .regex(PLUGIN_NAME, { error: 'must be kebab-case, e.g. "low-stock-alert" (lowercase letters, digits and -)' }),
    version: z
      .string({ error: 'must be a version string like "1.0.0"' })
      .regex(VERSION, { error: 'must be a version like "1.0.0" (major.minor.patch)' }),
    description: z.string({ error: 'must be a string' }).optional(),
    options: z
      .custom((v) => isZodSchema(v), { error: 'must be a zod schema, e.g. z.object({ webhookUrl: z.string().url() })' })
      .optional(),
    events: z
      .record(
        z.string(),
        z.custom((v) => isZodSchema(v), { error: 'must be a zod schema for the payload of this event type' }),
        { error: "must be an object mapping event types to zod schemas, e.g. { 'inventory.stock.low': z.object({...}) }" },
      )
      .optional(),
    configure: fn('must be a function (configure(options) { return { handlers, queues } })').optional(),
    setup: fn('must be a function (async setup(ctx) {...})').optional(),
    teardown: fn('must be a function (async teardown() {...})').optional(),
    handlers: z.record(z.string(), handlerSchema, {
      error: 'must be an object of handlers, e.g. { alert: { subscribe: {...}, async handle(event, ctx) {...} } }',
    }),
  },
  'the default export must be a plugin object (export default definePlugin({ name, version, handlers }))',
);

/** `handlers.alert.handle`, `events["inventory.stock.low"]`, `subscribe.routingKeys[0]`; `base` is prepended. */
export function formatPath(path: readonly PropertyKey[], base = ''): string {
  let out = base;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += out ? `.${String(p)}` : String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/** How a plugin folder is named in messages: relative to the working directory when inside it. */
export function pluginLabel(folder: string): string {
  const rel = relative(process.cwd(), folder);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : folder;
  return shown.split(sep).join('/');
}

/** Every shape problem as `field: what to do` lines; empty when the value is a well-formed plugin. */
export function pluginShapeProblems(value: unknown): string[] {
  const lines: string[] = [];
  const result = pluginSchema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = formatPath(issue.path);
      lines.push(path ? `${path}: ${issue.message}` : issue.message);
    }
  }
  // Checks zod's record cannot express with a per-field fix.
  const handlers = (value as { handlers?: unknown } | null)?.handlers;
  if (handlers && typeof handlers === 'object' && !Array.isArray(handlers)) {
    const names = Object.keys(handlers);
    if (names.length === 0) lines.push('handlers: must declare at least one handler, e.g. { alert: { subscribe: {...}, async handle(event, ctx) {...} } }');
    for (const h of names) {
      if (!HANDLER_NAME.test(h)) {
        lines.push(`${formatPath(['handlers', h])}: handler names are a letter then letters, digits, _ or - (they become part of the queue name and the binding key "plugin/handler")`);
      }
    }
  }
  return [...new Set(lines)];
}

const routesSchema = z
  .array(
    strictObject(
      { exchange: name('an exchange', 'notifications.direct'), routingKey: z.string({ error: 'must be a string' }) },
      "must be an object like { exchange: 'notifications.direct', routingKey: 'x' }",
    ),
    { error: 'must be an array of { exchange, routingKey }' },
  )
  .optional();

const pluginQueueSchema = strictObject(
  {
    name: name('a queue', 'notifications.deferred.60000ms'),
    messageTtlMs: int(0, 'must be an integer ≥ 0 (ms a message waits before it dead-letters)').optional(),
    deadLetter: strictObject(
      { exchange: name('an exchange', 'notifications.direct'), routingKey: z.string({ error: 'must be a string' }).optional() },
      "must be an object like { exchange: 'notifications.direct', routingKey: 'x.y' }",
    ).optional(),
    routes: routesSchema,
    bindings: routesSchema,
  },
  "must be an object like { name: 'x.delay.60000ms', messageTtlMs: 60000, deadLetter: { exchange: 'x.events' } }",
);

const extensionSchema = strictObject(
  {
    handlers: z.record(z.string(), handlerSchema, { error: 'must be an object of handlers' }).optional(),
    queues: z.array(pluginQueueSchema, { error: 'must be an array of queues' }).optional(),
  },
  'configure(options) must return an object like { handlers: {...}, queues: [...] }',
);

/** Problems with what `configure(options)` returned, as `configure().field: what to do` lines. */
export function extensionProblems(value: unknown, declared: readonly string[]): string[] {
  const result = extensionSchema.safeParse(value);
  if (!result.success) return result.error.issues.map((i) => `${formatPath(i.path, 'configure()')}: ${i.message}`);
  const lines: string[] = [];
  for (const [h, def] of Object.entries(result.data.handlers ?? {})) {
    const at = formatPath(['handlers', h], 'configure()');
    if (!HANDLER_NAME.test(h)) lines.push(`${at}: handler names are a letter then letters, digits, _ or -`);
    if (declared.includes(h)) lines.push(`${at}: clashes with the declared handler "${h}" (rename one)`);
    // a worker thread re-imports the module and finds only the declared handlers
    if (def.mode === 'worker') lines.push(`${at}.mode: derived handlers run inline; declare worker handlers under handlers`);
  }
  return lines;
}

/**
 * Checks a plugin folder's default export. `folder` is the plugin's folder path; its last segment
 * is the name the plugin must carry. Throws PLUGIN_INVALID listing every problem (a name mismatch
 * included), or PLUGIN_NAME_MISMATCH when that is the only one.
 */
export function validatePluginDefinition(value: unknown, folder: string): PluginDefinition {
  const label = pluginLabel(folder);
  const folderName = basename(folder);
  const lines = pluginShapeProblems(value);
  const declared = (value as { name?: unknown } | null)?.name;
  const mismatch =
    typeof declared === 'string' && declared !== folderName
      ? `name "${declared}" must equal the folder name "${folderName}" (rename the folder or the plugin)`
      : undefined;
  const details = { plugin: folderName, folder };
  if (lines.length > 0) {
    if (mismatch) lines.unshift(mismatch);
    throw new StokcerdasError(ErrorCodes.PLUGIN_INVALID, lines.map((l) => `${label}: ${l}`).join('\n'), {
      ...details,
      problems: lines,
    });
  }
  if (mismatch) throw new StokcerdasError(ErrorCodes.PLUGIN_NAME_MISMATCH, `${label}: ${mismatch}`, details);
  return value as PluginDefinition;
}
