import { describe, expect, it } from 'vitest';
import { compose } from '../../../../runtime/pipeline/compose.ts';
import { measure } from '../../../../runtime/pipeline/measure.ts';
import type { DeliveryContext, DeliveryStep, PipelineHooks } from '../../../../runtime/pipeline/types.ts';
import type { Settlement } from '../../../../runtime/transport/contract.ts';
import { contextOf, deliveryOf, wireEvent } from './stubs.ts';

function recording(now: () => number) {
  const seen: string[] = [];
  const settled: { settlement: Settlement; durationMs: number }[] = [];
  const hooks: PipelineHooks = {
    received: () => seen.push('received'),
    settled: (_ctx, settlement, durationMs) => {
      seen.push('settled');
      settled.push({ settlement, durationMs });
    },
  };
  return { seen, settled, wrap: (next: DeliveryStep) => compose<DeliveryStep>(measure(hooks, now))(next) };
}

describe('measure', () => {
  it('reports the delivery before next runs and its settlement with the time in the host after', () => {
    const { seen, settled, wrap } = recording(() => 1_250);
    const step = wrap(() => {
      seen.push('next');
      return 'ack';
    });
    expect(step(contextOf(deliveryOf(wireEvent()), { receivedAt: 1_000 }))).toBe('ack');
    expect(seen).toEqual(['received', 'next', 'settled']);
    expect(settled).toEqual([{ settlement: 'ack', durationMs: 250 }]);
  });

  it('waits for an asynchronous next and reports what it settled as', async () => {
    let now = 1_000;
    const { settled, wrap } = recording(() => now);
    const step = wrap(async (ctx: DeliveryContext): Promise<Settlement> => {
      now = ctx.receivedAt + 40;
      return 'requeue';
    });
    await expect(step(contextOf(deliveryOf(wireEvent())))).resolves.toBe('requeue');
    expect(settled).toEqual([{ settlement: 'requeue', durationMs: 40 }]);
  });

  it('reports nothing settled when next throws (recover, below it, turns failures into settlements)', () => {
    const { seen, wrap } = recording(() => 0);
    const step = wrap(() => {
      throw new Error('boom');
    });
    expect(() => step(contextOf(deliveryOf(wireEvent())))).toThrow('boom');
    expect(seen).toEqual(['received']);
  });
});
