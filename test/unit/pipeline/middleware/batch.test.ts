import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../runtime/clock/index.ts';
import { BatchRegistry, batch } from '../../../../runtime/pipeline/batch.ts';
import { compose } from '../../../../runtime/pipeline/compose.ts';
import type { HandlerCall, HandlerStep, PipelineHooks } from '../../../../runtime/pipeline/types.ts';
import { bindingOf, callOf, eventOf, flushPromises } from './stubs.ts';

function setUp(fail = false) {
  const clock = new VirtualClock(0);
  const registry = new BatchRegistry();
  const flushed: { size: number; reason: string; waitedMs: number }[] = [];
  const merged: HandlerCall[] = [];
  const hooks: PipelineHooks = { batchFlushed: (_b, size, reason, waitedMs) => flushed.push({ size, reason, waitedMs }) };
  const step = compose<HandlerStep>(batch({ size: 3, flushMs: 1000 }, clock, hooks, registry))(async (call) => {
    merged.push(call);
    if (fail) throw new Error('batch failed');
  });
  const binding = bindingOf({ batch: { size: 3, flushMs: 1000 } });
  const send = (id: string, attempt = 1) => step(callOf(binding, [eventOf({ id })], attempt)) as Promise<void>;
  return { clock, registry, flushed, merged, send };
}

describe('batch', () => {
  it('merges single calls into one call of `size` events and resolves each delivery after it', async () => {
    const { registry, flushed, merged, send } = setUp();
    const done = [send('a'), send('b', 2)];
    expect(registry.parked).toBe(2);
    done.push(send('c'));
    await Promise.all(done);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.events.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(merged[0]!.attempt).toBe(2);
    expect(flushed).toEqual([{ size: 3, reason: 'size', waitedMs: 0 }]);
    expect(registry.parked).toBe(0);
  });

  it('flushes a partial batch flushMs after its first event, on the injected clock', async () => {
    const { clock, flushed, merged, send } = setUp();
    const first = send('a');
    await clock.advance(500);
    const second = send('b');
    await clock.advance(499);
    await flushPromises();
    expect(merged).toHaveLength(0);
    await clock.advance(1);
    await Promise.all([first, second]);
    expect(merged[0]!.events.map((e) => e.id)).toEqual(['a', 'b']);
    expect(flushed).toEqual([{ size: 2, reason: 'time', waitedMs: 1000 }]);
  });

  it('fails every delivery of a failed batch', async () => {
    const { send } = setUp(true);
    const results = await Promise.allSettled([send('a'), send('b'), send('c')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });

  it('drains an open batch when the registry flushes everything (host stop)', async () => {
    const { registry, flushed, merged, send } = setUp();
    const pending = send('a');
    registry.flushAll();
    await pending;
    expect(merged[0]!.events.map((e) => e.id)).toEqual(['a']);
    expect(flushed[0]!.reason).toBe('drain');
  });
});
