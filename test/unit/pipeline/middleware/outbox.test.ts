import { describe, expect, it } from 'vitest';
import type { StokEvent } from '../../../../runtime/events/types.ts';
import { compose } from '../../../../runtime/pipeline/compose.ts';
import { outbox, type OutboxPublisher } from '../../../../runtime/pipeline/outbox.ts';
import type { HandlerStep, PendingPublish } from '../../../../runtime/pipeline/types.ts';
import { bindingOf, callOf, eventOf } from './stubs.ts';

function setUp() {
  const sent: { pending: PendingPublish[]; cause: string }[] = [];
  let confirm: () => void = () => undefined;
  const publisher: OutboxPublisher = {
    publishCaused: (pending: PendingPublish[], cause: StokEvent) => {
      sent.push({ pending: [...pending], cause: cause.id });
      return new Promise<void>((resolve) => (confirm = resolve));
    },
  };
  return { sent, publisher, confirm: () => confirm() };
}

describe('outbox', () => {
  it('publishes what the handler emitted after it succeeded, and settles only once confirmed', async () => {
    const { sent, publisher, confirm } = setUp();
    const step = compose<HandlerStep>(outbox(publisher))((call) => {
      call.outbox.push({ type: 'inventory.stock.low', data: { productId: 'SKU-1' } });
    });
    let settled = false;
    const result = Promise.resolve(step(callOf())).then(() => (settled = true));
    await Promise.resolve();
    expect(sent).toEqual([{ pending: [{ type: 'inventory.stock.low', data: { productId: 'SKU-1' } }], cause: 'e-1' }]);
    expect(settled).toBe(false);
    confirm();
    await result;
    expect(settled).toBe(true);
  });

  it('discards what a failed handler emitted', () => {
    const { sent, publisher } = setUp();
    const step = compose<HandlerStep>(outbox(publisher))((call) => {
      call.outbox.push({ type: 'inventory.stock.low', data: {} });
      throw new Error('handler failed');
    });
    expect(() => step(callOf())).toThrow('handler failed');
    expect(sent).toEqual([]);
  });

  it('publishes nothing, and answers synchronously, when nothing was emitted', () => {
    const { sent, publisher } = setUp();
    expect(compose<HandlerStep>(outbox(publisher))(() => undefined)(callOf())).toBeUndefined();
    expect(sent).toEqual([]);
  });

  it('makes the last event of a batch the cause', async () => {
    const { sent, publisher, confirm } = setUp();
    const step = compose<HandlerStep>(outbox(publisher))((call) => void call.outbox.push({ type: 't', data: {} }));
    const done = step(callOf(bindingOf(), [eventOf({ id: 'a' }), eventOf({ id: 'b' })]));
    confirm();
    await done;
    expect(sent[0]!.cause).toBe('b');
  });
});
