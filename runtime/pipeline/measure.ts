import { after } from './maybe-async.ts';
import type { Middleware, PipelineHooks } from './types.ts';

/** Every outcome reported once, with the delivery's time in the host. */
export function measure(hooks: PipelineHooks, now: () => number): Middleware {
  return (next) => (ctx) => {
    hooks.received?.(ctx);
    return after(next(ctx), (settlement) => {
      hooks.settled?.(ctx, settlement, now() - ctx.receivedAt);
      return settlement;
    });
  };
}
