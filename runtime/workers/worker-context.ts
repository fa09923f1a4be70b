/**
 * The HandlerContext a worker-mode handler sees. `publish` and `logger` only record: the main
 * thread publishes the records through the outbox after success and replays the log lines on the
 * handler's own logger, so worker output looks like inline output.
 */
import { format } from 'node:util';
import type { Logger } from 'pino';
import type { Clock } from '../clock/index.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { HandlerContext } from '../plugins/types.ts';
import type { HandleTask, LogLevel, LogRecord, PublishRecord } from './protocol.ts';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const NAMES: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
// the main thread enforces timeouts by terminating the thread: nothing here ever aborts, so one
// signal serves every call
const NEVER_ABORTED = new AbortController().signal;

export function createWorkerContext(task: HandleTask): { ctx: HandlerContext; publishes: PublishRecord[]; logs: LogRecord[] } {
  const publishes: PublishRecord[] = [];
  const logs: LogRecord[] = [];
  const frozen = task.frozenNow;
  const clock: Clock = {
    now: () => frozen ?? Date.now(),
    setTimeout(fn, ms) {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
  };
  let logger: Logger | undefined;
  const ctx: HandlerContext = {
    // built on first use: most handlers never log
    get logger() {
      return (logger ??= recordingLogger(logs, LEVELS[task.logLevel] ?? LEVELS.info!, {}));
    },
    publish: (type, data, options) => {
      publishes.push(options === undefined ? { type, data } : { type, data, options });
    },
    attempt: task.attempt,
    handler: task.key,
    clock,
    signal: NEVER_ABORTED,
    options: task.options,
    resolve(name: string): never {
      throw new StokcerdasError(
        ErrorCodes.WORKER_FAILED,
        `${task.key}: ctx.resolve("${name}") is not available in worker mode: the handler runs on another thread and cannot reach ` +
          `container services or setup() state (they live on the main thread). Pass what it needs in the event or plugin options, or use mode: 'inline'.`,
        { handler: task.key, service: name },
      );
    },
  };
  return { ctx, publishes, logs };
}

/** Enough of pino's surface for handlers: level methods with pino's argument forms, child(), isLevelEnabled(). */
function recordingLogger(logs: LogRecord[], threshold: number, bindings: Record<string, unknown>): Logger {
  const logger: Record<string, unknown> = {
    level: Object.keys(LEVELS).find((k) => LEVELS[k] === threshold) ?? 'info',
    isLevelEnabled: (level: string) => (LEVELS[level] ?? 0) >= threshold,
    child: (more: Record<string, unknown>) => recordingLogger(logs, threshold, { ...bindings, ...more }),
    bindings: () => ({ ...bindings }),
    silent: () => {},
  };
  for (const level of NAMES) {
    logger[level] = (first?: unknown, ...rest: unknown[]) => {
      if (LEVELS[level]! < threshold) return;
      logs.push(record(level, bindings, first, rest));
    };
  }
  return logger as unknown as Logger;
}

function record(level: LogLevel, bindings: Record<string, unknown>, first: unknown, rest: unknown[]): LogRecord {
  let obj: Record<string, unknown> | undefined;
  let msg: string | undefined;
  if (first instanceof Error) {
    obj = { err: first };
    msg = rest.length > 0 ? format(...rest) : first.message;
  } else if (first !== null && typeof first === 'object') {
    obj = first as Record<string, unknown>;
    msg = rest.length > 0 ? format(...rest) : undefined;
  } else if (first !== undefined) {
    msg = format(first, ...rest);
  }
  const merged = Object.keys(bindings).length > 0 || obj ? plain({ ...bindings, ...obj }) : undefined;
  return { level, ...(msg !== undefined ? { msg } : {}), ...(merged ? { obj: merged } : {}) };
}

/** Log objects may hold anything: errors become pino's `{type, message, stack}`, the rest JSON. */
function plain(obj: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(
      JSON.stringify(obj, (_k, v: unknown) => {
        if (v instanceof Error) return { type: v.name, message: v.message, stack: v.stack, ...(v as object) };
        return typeof v === 'bigint' ? v.toString() : v;
      }),
    ) as Record<string, unknown>;
  } catch (err) {
    return { logObjectError: `could not serialise the log object: ${(err as Error).message}` };
  }
}
