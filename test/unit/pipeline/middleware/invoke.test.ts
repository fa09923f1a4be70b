import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../runtime/clock/index.ts';
import { inlineInvoker, invoke } from '../../../../runtime/pipeline/invoke.ts';
import type { PipelineHooks } from '../../../../runtime/pipeline/types.ts';
import type { HandlerContext } from '../../../../runtime/plugins/types.ts';
import { bindingOf, callOf, eventOf } from './stubs.ts';

function setUp(handle: (event: unknown, ctx: HandlerContext) => unknown, batch = false) {
  const events: string[] = [];
  const hooks: PipelineHooks = {
    consumed: (event, binding, attempt) => events.push(`consumed ${event.id} ${binding.key} #${attempt}`),
    handled: (binding, _ms, outcome, size) => events.push(`handled ${binding.key} ${outcome} ${size}`),
  };
  const binding = bindingOf({
    definition: { subscribe: { routingKeys: ['orders.#'] }, handle: handle as never },
    options: { threshold: 5 },
    ...(batch ? { batch: { size: 2, flushMs: 100 } } : {}),
  });
  const step = invoke({ invokerFor: () => inlineInvoker, clock: new VirtualClock(0), hooks, resolve: <T>(name: string) => `service:${name}` as T });
  return { events, binding, step };
}

describe('invoke', () => {
  it('calls the handler with the event and a context, and reports the call', () => {
    let seen: { id?: string; attempt?: number; handler?: string; options?: unknown; calendar?: unknown } = {};
    const { events, binding, step } = setUp((event, ctx) => {
      seen = { id: (event as { id: string }).id, attempt: ctx.attempt, handler: ctx.handler, options: ctx.options, calendar: ctx.resolve('calendar') };
    });
    expect(step(callOf(binding, [eventOf()], 2))).not.toBeInstanceOf(Promise);
    expect(seen).toEqual({ id: 'e-1', attempt: 2, handler: 'probe/watch', options: { threshold: 5 }, calendar: 'service:calendar' });
    expect(events).toEqual(['consumed e-1 probe/watch #2', 'handled probe/watch success 1']);
  });

  it('collects ctx.publish into the call\'s outbox instead of sending', () => {
    const { binding, step } = setUp((_event, ctx) => {
      const { publish } = ctx;
      publish('inventory.stock.low', { productData: { id: 'SKU-1' }, locationData: { id: 'WH-1' }, stockLevel: { current: 1 } }, { priority: 7 });
    });
    const call = callOf(binding);
    step(call);
    expect(call.outbox).toEqual([
      { type: 'inventory.stock.low', data: { productData: { id: 'SKU-1' }, locationData: { id: 'WH-1' }, stockLevel: { current: 1 } }, options: { priority: 7 } },
    ]);
  });

  it('reports a failure, synchronous or not, and rethrows it', async () => {
    const sync = setUp(() => {
      throw new Error('sync failure');
    });
    expect(() => sync.step(callOf(sync.binding))).toThrow('sync failure');
    expect(sync.events.at(-1)).toBe('handled probe/watch failure 1');
    const late = setUp(async () => {
      throw new Error('async failure');
    });
    await expect(late.step(callOf(late.binding))).rejects.toThrow('async failure');
    expect(late.events.at(-1)).toBe('handled probe/watch failure 1');
  });

  it('hands a batch handler the array of events', () => {
    let received: unknown;
    const { events, binding, step } = setUp((batch) => void (received = batch), true);
    step(callOf(binding, [eventOf({ id: 'a' }), eventOf({ id: 'b' })]));
    expect((received as { id: string }[]).map((e) => e.id)).toEqual(['a', 'b']);
    expect(events.at(-1)).toBe('handled probe/watch success 2');
  });
});
