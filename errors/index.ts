/**
 * Every coded error the runtime throws. Codes are stable: tests and users match on them.
 * Messages name the file, field or queue involved and what to do about it.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'STOKCERDAS_CONFIG_INVALID',
  CONFIG_NOT_FOUND: 'STOKCERDAS_CONFIG_NOT_FOUND',
  CONFIG_LOAD_FAILED: 'STOKCERDAS_CONFIG_LOAD_FAILED',
  PLUGIN_INVALID: 'STOKCERDAS_PLUGIN_INVALID',
  PLUGIN_LOAD_FAILED: 'STOKCERDAS_PLUGIN_LOAD_FAILED',
  PLUGIN_NAME_MISMATCH: 'STOKCERDAS_PLUGIN_NAME_MISMATCH',
  PLUGIN_OPTIONS_INVALID: 'STOKCERDAS_PLUGIN_OPTIONS_INVALID',
  PLUGIN_SETUP_FAILED: 'STOKCERDAS_PLUGIN_SETUP_FAILED',
  PLUGIN_DUPLICATE: 'STOKCERDAS_PLUGIN_DUPLICATE',
  BINDING_UNKNOWN: 'STOKCERDAS_BINDING_UNKNOWN',
  TOPOLOGY_CONFLICT: 'STOKCERDAS_TOPOLOGY_CONFLICT',
  UNKNOWN_EXCHANGE: 'STOKCERDAS_UNKNOWN_EXCHANGE',
  UNKNOWN_QUEUE: 'STOKCERDAS_UNKNOWN_QUEUE',
  EVENT_INVALID: 'STOKCERDAS_EVENT_INVALID',
  POISON: 'STOKCERDAS_POISON',
  NON_RETRYABLE: 'STOKCERDAS_NON_RETRYABLE',
  HANDLER_TIMEOUT: 'STOKCERDAS_HANDLER_TIMEOUT',
  PUBLISH_BUFFER_FULL: 'STOKCERDAS_PUBLISH_BUFFER_FULL',
  PUBLISH_FAILED: 'STOKCERDAS_PUBLISH_FAILED',
  TRANSPORT_CLOSED: 'STOKCERDAS_TRANSPORT_CLOSED',
  HOST_STATE: 'STOKCERDAS_HOST_STATE',
  WORKER_FAILED: 'STOKCERDAS_WORKER_FAILED',
  HTTP_LISTEN_FAILED: 'STOKCERDAS_HTTP_LISTEN_FAILED',
  DEDUPE_UNAVAILABLE: 'STOKCERDAS_DEDUPE_UNAVAILABLE',
  DLQ_FILTER_INVALID: 'STOKCERDAS_DLQ_FILTER_INVALID',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class StokcerdasError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StokcerdasError';
    this.code = code;
    this.details = details;
  }
}

/**
 * Thrown by a handler to skip retries: the delivery is dead-lettered at once (`non-retryable`).
 * The subclasses keep their own names: `x-error-type` on a dead letter and the worker-thread
 * protocol recognise them by name.
 */
export class NonRetryableError extends StokcerdasError {
  declare readonly code: typeof ErrorCodes.NON_RETRYABLE;
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCodes.NON_RETRYABLE, message, {}, options);
    this.name = 'NonRetryableError';
  }
}

/** The message can never be handled (not JSON, not a CloudEvent, fails its schema): dead-lettered at once. */
export class PoisonMessageError extends StokcerdasError {
  declare readonly code: typeof ErrorCodes.POISON;
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super(ErrorCodes.POISON, message, { problems });
    this.name = 'PoisonMessageError';
    this.problems = problems;
  }
}

/** A handler ran past its `timeoutMs`: retried like a throw, dead-lettered as `handler-timeout`. */
export class HandlerTimeoutError extends StokcerdasError {
  declare readonly code: typeof ErrorCodes.HANDLER_TIMEOUT;
  constructor(handler: string, timeoutMs: number) {
    super(ErrorCodes.HANDLER_TIMEOUT, `handler ${handler} did not finish within ${timeoutMs} ms`, { handler, timeoutMs });
    this.name = 'HandlerTimeoutError';
  }
}

export function isStokcerdasError(err: unknown, code?: ErrorCode): err is StokcerdasError {
  return err instanceof StokcerdasError && (code === undefined || err.code === code);
}
