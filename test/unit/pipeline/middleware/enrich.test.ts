import { describe, expect, it } from 'vitest';
import type { ContextProvider } from '../../../../runtime/context/provider.ts';
import { compose } from '../../../../runtime/pipeline/compose.ts';
import { enrich } from '../../../../runtime/pipeline/enrich.ts';
import type { DeliveryStep } from '../../../../runtime/pipeline/types.ts';
import { contextOf, deliveryOf, eventOf, plainContext, wireEvent } from './stubs.ts';

describe('enrich', () => {
  it('sets event.context from the provider, for the event itself, before next sees it', () => {
    const asked: string[] = [];
    const provider: ContextProvider = {
      contextFor: (event) => {
        asked.push(event.time);
        return { ...plainContext, ramadanSeason: true, localTime: '2026-03-21 09:00' };
      },
    };
    const ctx = contextOf(deliveryOf(wireEvent()), { event: eventOf({ time: '2026-03-21T02:00:00.000Z' }) });
    let seenByNext: unknown;
    const step = compose<DeliveryStep>(enrich(provider))((c) => {
      seenByNext = c.event?.context;
      return 'ack';
    });
    expect(step(ctx)).toBe('ack');
    expect(asked).toEqual(['2026-03-21T02:00:00.000Z']);
    expect(seenByNext).toMatchObject({ ramadanSeason: true, localTime: '2026-03-21 09:00' });
  });

  it('lets a provider failure propagate (recover dead-letters or retries it)', () => {
    const provider: ContextProvider = {
      contextFor: () => {
        throw new Error('calendar broken');
      },
    };
    const step = compose<DeliveryStep>(enrich(provider))(() => 'ack');
    expect(() => step(contextOf(deliveryOf(wireEvent()), { event: eventOf() }))).toThrow('calendar broken');
  });
});
