import type { DedupeStore } from './dedupe-store.ts';
import type { HandlerMiddleware, PipelineHooks } from './types.ts';

/** (handler, event id) already handled → skip it (the delivery is acked); remembered only after success. */
export function dedupe(store: DedupeStore, hooks: PipelineHooks): HandlerMiddleware {
  return (next) => async (call) => {
    const fresh = [];
    for (const event of call.events) {
      const answer = store.seen(`${call.binding.key}|${event.id}`);
      // the memory store answers synchronously: no extra promise per delivery on the hot path
      const seen = typeof answer === 'boolean' ? answer : await answer;
      if (seen) hooks.deduplicated?.(event, call.binding);
      else fresh.push(event);
    }
    if (fresh.length === 0) return;
    call.events = fresh;
    await next(call);
    for (const event of fresh) {
      const done = store.remember(`${call.binding.key}|${event.id}`);
      if (done) await done;
    }
  };
}
