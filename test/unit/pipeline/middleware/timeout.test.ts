import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../runtime/clock/index.ts';
import { HandlerTimeoutError } from '../../../../runtime/errors.ts';
import { compose } from '../../../../runtime/pipeline/compose.ts';
import { timeout } from '../../../../runtime/pipeline/timeout.ts';
import type { HandlerStep } from '../../../../runtime/pipeline/types.ts';
import { bindingOf, callOf } from './stubs.ts';

const binding = bindingOf({ timeoutMs: 1000 });

describe('timeout', () => {
  it('passes a synchronous result straight through and arms no timer', () => {
    const clock = new VirtualClock(0);
    const step = compose<HandlerStep>(timeout(clock))(() => undefined);
    expect(step(callOf(binding))).toBeUndefined();
    expect(clock.nextDue()).toBeUndefined();
  });

  it('fails a handler still running after timeoutMs with HandlerTimeoutError and aborts its signal', async () => {
    const clock = new VirtualClock(0);
    const call = callOf(binding);
    const step = compose<HandlerStep>(timeout(clock))(() => new Promise<void>(() => undefined));
    const result = Promise.resolve(step(call)).catch((err: unknown) => err);
    await clock.advance(999);
    expect(call.signal.aborted).toBe(false);
    await clock.advance(1);
    const error = await result;
    expect(error).toBeInstanceOf(HandlerTimeoutError);
    expect((error as Error).message).toBe('handler probe/watch did not finish within 1000 ms');
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(error);
  });

  it('cancels the timer when the handler finishes, or fails, in time', async () => {
    const clock = new VirtualClock(0);
    const ok = compose<HandlerStep>(timeout(clock))(async () => undefined);
    await ok(callOf(binding));
    expect(clock.nextDue()).toBeUndefined();
    const failing = compose<HandlerStep>(timeout(clock))(async () => {
      throw new Error('own failure');
    });
    await expect(failing(callOf(binding))).rejects.toThrow('own failure');
    expect(clock.nextDue()).toBeUndefined();
  });

  it('counts the synchronous part of the handler against its time', async () => {
    const clock = new VirtualClock(0);
    const step = compose<HandlerStep>(timeout(clock))(() => {
      void clock.advance(400);
      return new Promise<void>(() => undefined);
    });
    void step(callOf(binding));
    expect(clock.nextDue()).toBe(1000);
  });
});
