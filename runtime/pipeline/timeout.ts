import type { Clock } from '../clock/index.ts';
import { HandlerTimeoutError } from '../errors.ts';
import type { HandlerMiddleware } from './types.ts';

/**
 * A handler that runs past its `timeoutMs` fails with HandlerTimeoutError and its AbortSignal
 * fires. An inline handler that ignores the signal cannot be stopped (it is JavaScript), but its
 * outcome no longer counts and its outbox is discarded.
 */
export function timeout(clock: Clock): HandlerMiddleware {
  return (next) => (call) =>
    new Promise<void>((resolve, reject) => {
      const ms = call.binding.timeoutMs;
      const cancel = clock.setTimeout(() => {
        const error = new HandlerTimeoutError(call.binding.key, ms);
        call.abort(error);
        reject(error);
      }, ms);
      next(call).then(
        () => {
          cancel();
          resolve();
        },
        (err) => {
          cancel();
          reject(err);
        },
      );
    });
}
