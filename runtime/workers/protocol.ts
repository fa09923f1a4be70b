/**
 * What travels between the main thread and a worker thread. Everything here is structured-
 * cloneable: plain JSON plus Dates. Imported by both sides, so it must not pull in piscina.
 */
import { ErrorCodes, HandlerTimeoutError, NonRetryableError, PoisonMessageError } from '../errors.ts';
import type { PublishOptions, StokEvent } from '../events/types.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** One call of `ctx.logger.<level>()` in a worker, replayed on the handler's logger. */
export interface LogRecord {
  level: LogLevel;
  msg?: string;
  obj?: Record<string, unknown>;
}

export interface PublishRecord {
  type: string;
  data: unknown;
  options?: PublishOptions;
}

export interface HandleTask {
  kind: 'handle';
  /** file:// URL of the plugin module */
  file: string;
  plugin: string;
  handler: string;
  /** `plugin/handler` */
  key: string;
  /** one event, or the array for batch handlers */
  payload: StokEvent | StokEvent[];
  attempt: number;
  options: unknown;
  /** the main clock's time at dispatch when it is virtual (fake bus); real time otherwise */
  frozenNow?: number;
  /** the lowest level the handler's logger would write: records below it are not sent back */
  logLevel: string;
  /** the task's lane on the pool's LaneBoard (absent when the task comes from a bare pool) */
  lane?: number;
}

/** Import the module and find the handlers, without calling them (start-up validation). */
export interface CheckTask {
  kind: 'check';
  file: string;
  plugin: string;
  handlers: string[];
  options: unknown;
}

export type WorkerTask = HandleTask | CheckTask;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export interface WorkerResult {
  ok: boolean;
  /** the call was aborted or moved before the task started: the handler never ran here */
  skipped?: boolean;
  error?: SerializedError;
  publishes: PublishRecord[];
  logs: LogRecord[];
  /** how long the handler ran on the thread (the pool's utilisation) */
  ms?: number;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, stack: err.stack, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: typeof err === 'string' ? err : safeString(err) };
}

/**
 * The error again on the main thread. Classes the retry policy tests with `instanceof` are rebuilt
 * from their name or code (a worker has its own copy of every class), so a NonRetryableError
 * thrown in a worker still skips retries.
 */
export function rebuildError(e: SerializedError, key: string): Error {
  let err: Error;
  if (e.name === 'NonRetryableError' || e.code === ErrorCodes.NON_RETRYABLE) err = new NonRetryableError(e.message);
  else if (e.name === 'PoisonMessageError' || e.code === ErrorCodes.POISON) err = new PoisonMessageError(e.message);
  else if (e.name === 'HandlerTimeoutError' || e.code === ErrorCodes.HANDLER_TIMEOUT) {
    err = new HandlerTimeoutError(key, 0);
    err.message = e.message;
  } else {
    err = new Error(e.message);
    err.name = e.name;
    if (e.code !== undefined) (err as Error & { code?: string }).code = e.code;
  }
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
