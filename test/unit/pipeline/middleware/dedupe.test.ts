import { describe, expect, it } from 'vitest';
import { compose } from '../../../../runtime/pipeline/compose.ts';
import { dedupe } from '../../../../runtime/pipeline/dedupe.ts';
import { MemoryDedupeStore, type DedupeStore } from '../../../../runtime/pipeline/dedupe-store.ts';
import type { HandlerCall, HandlerStep, PipelineHooks } from '../../../../runtime/pipeline/types.ts';
import { bindingOf, callOf, eventOf } from './stubs.ts';

function setUp(store: DedupeStore = new MemoryDedupeStore({ maxEntries: 100, ttlMs: 60_000 })) {
  const handled: string[][] = [];
  const skipped: string[] = [];
  let failNext = false;
  const hooks: PipelineHooks = { deduplicated: (event, binding) => skipped.push(`${binding.key}|${event.id}`) };
  const step = compose<HandlerStep>(dedupe(store, hooks))((call: HandlerCall) => {
    handled.push(call.events.map((e) => e.id));
    if (failNext) {
      failNext = false;
      throw new Error('handler failed');
    }
  });
  return { handled, skipped, step, failOnce: () => (failNext = true) };
}

describe('dedupe', () => {
  it('runs a (handler, event id) once and skips the redelivery', async () => {
    const { handled, skipped, step } = setUp();
    await step(callOf());
    await step(callOf());
    expect(handled).toEqual([['e-1']]);
    expect(skipped).toEqual(['probe/watch|e-1']);
  });

  it('keys by handler: another handler still runs the same event', async () => {
    const { handled, step } = setUp();
    await step(callOf());
    await step(callOf(bindingOf({ key: 'probe/other' })));
    expect(handled).toEqual([['e-1'], ['e-1']]);
  });

  it('remembers only after success, so a failed call runs again', async () => {
    const { handled, step, failOnce } = setUp();
    failOnce();
    expect(() => step(callOf())).toThrow('handler failed');
    await step(callOf());
    expect(handled).toEqual([['e-1'], ['e-1']]);
  });

  it('drops the already handled events from a batch and skips a batch of only those', async () => {
    const { handled, step } = setUp();
    await step(callOf(bindingOf(), [eventOf({ id: 'a' })]));
    await step(callOf(bindingOf(), [eventOf({ id: 'a' }), eventOf({ id: 'b' })]));
    await step(callOf(bindingOf(), [eventOf({ id: 'a' }), eventOf({ id: 'b' })]));
    expect(handled).toEqual([['a'], ['b']]);
  });

  it('waits for an asynchronous store (the shared Redis one) before deciding', async () => {
    const keys = new Set<string>();
    const slow: DedupeStore = {
      seen: async (key) => keys.has(key),
      remember: async (key) => void keys.add(key),
    };
    const { handled, step } = setUp(slow);
    await step(callOf());
    await step(callOf());
    expect(handled).toEqual([['e-1']]);
    expect([...keys]).toEqual(['probe/watch|e-1']);
  });
});
