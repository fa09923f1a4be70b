import type { Logger } from 'pino';
import { HandlerTimeoutError, NonRetryableError, PoisonMessageError } from '../errors.ts';
import type { OutgoingMessage, Settlement } from '../transport/contract.ts';
import { retryDelay, retryQueueName } from '../topology/names.ts';
import { copyOf, deadLetterHeaders, originOf, type DeathReason } from './dead-letter.ts';
import { deliveryLogFields } from './log-fields.ts';
import { isPromise, type MaybePromise } from './maybe-async.ts';
import { HandlerFailure, type DeliveryContext, type HandlerBinding, type Middleware, type PipelineHooks } from './types.ts';

export interface RecoverDeps {
  publish(message: OutgoingMessage): Promise<void>;
  deadLetterExchange: string;
  /** used when the failure is not a handler's (should not happen; keeps a bug from looping forever) */
  defaultRetry: HandlerBinding['retry'];
  host: string;
  now(): number;
  hooks: PipelineHooks;
  logger: Logger;
}

/**
 * Throw / timeout → a copy goes to the wait queue of its delay tier (the broker holds the wait);
 * poison, non-retryable or attempts used up → a copy goes to `<queue>.dlq` with the failure
 * headers (docs/failure-semantics.md). The original is acked only after the copy is confirmed; if the copy cannot be
 * published the delivery is requeued, so nothing is lost either way.
 */
export function recover(deps: RecoverDeps): Middleware {
  const handOver = async (ctx: DeliveryContext, error: unknown): Promise<Settlement> => {
    const binding = error instanceof HandlerFailure ? error.binding : undefined;
    const cause = error instanceof HandlerFailure ? error.cause : error;
    deps.hooks.failed?.(ctx.event, binding, cause, ctx.attempt);
    const decision = decide(ctx, cause, binding?.retry ?? deps.defaultRetry);
    try {
      if (decision.kind === 'retry') {
        await deps.publish(retryCopy(ctx, decision.delayMs, cause, error instanceof HandlerFailure ? error : undefined));
        if (binding) deps.hooks.retried?.(ctx, binding, decision.delayMs);
        deps.logger.warn({ ...deliveryLogFields(ctx, binding), err: cause, attempt: ctx.attempt, retryInMs: decision.delayMs }, 'handler failed; retry scheduled');
      } else {
        const headers = deadLetterHeaders(ctx, decision.reason, cause, binding, deps.host, deps.now());
        await deps.publish(copyOf(ctx, deps.deadLetterExchange, ctx.queue, headers));
        deps.hooks.deadLettered?.({ event: ctx.event, queue: ctx.queue, headers, body: ctx.delivery.body });
        (decision.reason === 'poison' ? deps.logger.warn : deps.logger.error).call(
          deps.logger,
          { ...deliveryLogFields(ctx, binding), err: cause, reason: decision.reason, attempts: ctx.attempt },
          'delivery dead-lettered',
        );
      }
      return 'ack';
    } catch (handOff) {
      deps.logger.error({ ...deliveryLogFields(ctx, binding), err: handOff }, 'could not hand the failed delivery to its retry or dead-letter queue; requeued');
      return 'requeue';
    }
  };
  return (next) => (ctx) => {
    let result: MaybePromise<Settlement>;
    try {
      result = next(ctx);
    } catch (error) {
      return handOver(ctx, error);
    }
    return isPromise(result) ? result.then(undefined, (error: unknown) => handOver(ctx, error)) : result;
  };
}

type Decision = { kind: 'retry'; delayMs: number } | { kind: 'dead-letter'; reason: DeathReason };

function decide(ctx: DeliveryContext, cause: unknown, retry: HandlerBinding['retry']): Decision {
  if (cause instanceof PoisonMessageError) return { kind: 'dead-letter', reason: 'poison' };
  if (cause instanceof NonRetryableError) return { kind: 'dead-letter', reason: 'non-retryable' };
  if (ctx.attempt < retry.maxAttempts) return { kind: 'retry', delayMs: retryDelay(retry, ctx.attempt) };
  return { kind: 'dead-letter', reason: cause instanceof HandlerTimeoutError ? 'handler-timeout' : 'retries-exhausted' };
}

function retryCopy(ctx: DeliveryContext, delayMs: number, cause: unknown, failure: HandlerFailure | undefined) {
  const origin = originOf(ctx);
  const err = cause instanceof Error ? cause : new Error(String(cause));
  const headers = {
    'x-attempts': ctx.attempt,
    'x-original-exchange': origin.exchange,
    'x-original-routing-key': origin.routingKey,
    'x-original-queue': ctx.queue,
    // only the handler that failed runs again; the others already succeeded
    'x-retry-handlers': failure ? [failure.binding, ...failure.others].map((b) => b.key).join(',') : '',
    'x-error-type': err.name,
    'x-error-message': err.message.slice(0, 1024),
  };
  const target = delayMs > 0 ? retryQueueName(ctx.queue, delayMs) : ctx.queue;
  return copyOf(ctx, '', target, headers);
}
