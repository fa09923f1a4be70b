import type { Clock } from '../clock/index.ts';
import { HandlerTimeoutError } from '../errors.ts';
import { isPromise } from './maybe-async.ts';
import type { HandlerMiddleware } from './types.ts';

/**
 * A handler that runs past its `timeoutMs` fails with HandlerTimeoutError and its AbortSignal
 * fires. An inline handler that ignores the signal cannot be stopped (it is JavaScript), but its
 * outcome no longer counts and its outbox is discarded. A handler that finished synchronously
 * could not have been interrupted either, so the timer is armed only once something waits.
 */
export function timeout(clock: Clock): HandlerMiddleware {
  return (next) => (call) => {
    const started = clock.now();
    const result = next(call);
    if (!isPromise(result)) return result;
    return new Promise<void>((resolve, reject) => {
      const ms = call.binding.timeoutMs;
      // the synchronous part of the handler already used some of its time
      const cancel = clock.setTimeout(() => {
        const error = new HandlerTimeoutError(call.binding.key, ms);
        call.abort(error);
        reject(error);
      }, Math.max(0, ms - (clock.now() - started)));
      result.then(
        () => {
          cancel();
          resolve();
        },
        (err: unknown) => {
          cancel();
          reject(err);
        },
      );
    });
  };
}
