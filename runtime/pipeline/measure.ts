import type { Middleware, PipelineHooks } from './types.ts';

/** Every outcome reported once, with the delivery's time in the host. */
export function measure(hooks: PipelineHooks, now: () => number): Middleware {
  return (next) => async (ctx) => {
    hooks.received?.(ctx);
    const settlement = await next(ctx);
    hooks.settled?.(ctx, settlement, now() - ctx.receivedAt);
    return settlement;
  };
}
