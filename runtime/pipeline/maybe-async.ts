/**
 * Most handlers finish synchronously or resolve at once, and a promise per middleware per delivery
 * was most of the pipeline's cost (in a CPU profile of the memory pipeline). So every step returns its value directly
 * when it has it, and a promise only when something actually waits (I/O, a timer, a worker).
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * `onValue(value)` now if the value is here, after it resolves otherwise; a rejection passes through.
 * Not named `then`: a module that exports `then` is a thenable, and `await import()` would call it.
 */
export function after<T, R>(value: MaybePromise<T>, onValue: (v: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromise(value) ? value.then(onValue) : onValue(value);
}

/** Runs `run` and always hands back a promise (a synchronous throw becomes a rejection). */
export function promised<T>(run: () => MaybePromise<T>): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err);
  }
}
