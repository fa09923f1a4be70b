import type { StokEvent } from '../events/types.ts';
import type { DedupeStore } from './dedupe-store.ts';
import { isPromise, after, type MaybePromise } from './maybe-async.ts';
import type { HandlerCall, HandlerMiddleware, PipelineHooks } from './types.ts';

/** (handler, event id) already handled → skip it (the delivery is acked); remembered only after success. */
export function dedupe(store: DedupeStore, hooks: PipelineHooks): HandlerMiddleware {
  // `handler|` made once per handler: the store keeps a key per event for a day, and a key built
  // whole would copy the handler's name into each one
  const prefixes = new Map<string, string>();
  const keyOf = (call: HandlerCall, event: StokEvent) => {
    const handler = call.binding.key;
    let prefix = prefixes.get(handler);
    if (prefix === undefined) prefixes.set(handler, (prefix = `${handler}|`));
    return prefix + event.id;
  };

  const remember = (call: HandlerCall): MaybePromise<void> => {
    let waits: Promise<void>[] | undefined;
    for (const event of call.events) {
      const done = store.remember(keyOf(call, event));
      if (done) (waits ??= []).push(done);
    }
    if (waits) return Promise.all(waits).then(() => undefined);
  };

  /** the memory store answers synchronously, so the common case takes no promise at all */
  const freshEvents = (call: HandlerCall): MaybePromise<StokEvent[]> => {
    const answers = call.events.map((event) => store.seen(keyOf(call, event)));
    const pick = (seen: boolean[]) => {
      const fresh: StokEvent[] = [];
      call.events.forEach((event, i) => {
        if (!seen[i]) fresh.push(event);
        else hooks.deduplicated?.(event, call.binding);
      });
      return fresh;
    };
    if (answers.some(isPromise)) return Promise.all(answers).then(pick);
    return pick(answers as boolean[]);
  };

  return (next) => (call) => {
    if (call.events.length === 1) {
      // one event: the common case, without the arrays below
      const event = call.events[0]!;
      const key = keyOf(call, event);
      return after(store.seen(key), (seen) => {
        if (seen) return hooks.deduplicated?.(event, call.binding);
        return after(next(call), () => store.remember(key));
      });
    }
    return after(freshEvents(call), (fresh) => {
      if (fresh.length === 0) return;
      call.events = fresh;
      return after(next(call), () => remember(call));
    });
  };
}
