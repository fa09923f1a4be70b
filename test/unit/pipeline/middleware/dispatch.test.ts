import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../runtime/pipeline/dispatch.ts';
import { HandlerFailure, type HandlerCall } from '../../../../runtime/pipeline/types.ts';
import { bindingOf, contextOf, deliveryOf, eventOf, silent, wireEvent } from './stubs.ts';

const created = bindingOf({ key: 'p/created', handler: 'created', routingKeys: ['orders.order.created'] });
const anyOrder = bindingOf({ key: 'p/any', handler: 'any', routingKeys: ['orders.#'] });
const stock = bindingOf({ key: 'p/stock', handler: 'stock', routingKeys: ['inventory.*.*'] });

function setUp(fail: Set<string> = new Set()) {
  const calls: string[] = [];
  const run = (call: HandlerCall) => {
    calls.push(call.binding.key);
    if (fail.has(call.binding.key)) throw new Error(`${call.binding.key} failed`);
  };
  const step = dispatch([created, anyOrder, stock].map((binding) => ({ binding, run })), silent);
  return { calls, step };
}

const ctxFor = (routingKey: string, headers: Record<string, string> = {}) =>
  contextOf({ ...deliveryOf(wireEvent(), { headers }), routingKey }, { event: eventOf(), routingKey });

describe('dispatch', () => {
  it('runs every handler whose pattern matches the routing key, and acks', async () => {
    const { calls, step } = setUp();
    const ctx = ctxFor('orders.order.created');
    await expect(step(ctx)).resolves.toBe('ack');
    expect(calls).toEqual(['p/created', 'p/any']);
    expect(ctx.handlers?.map((b) => b.key)).toEqual(['p/created', 'p/any']);
  });

  it('answers a single matching synchronous handler without a promise', () => {
    const { calls, step } = setUp();
    expect(step(ctxFor('inventory.stock.low'))).toBe('ack');
    expect(calls).toEqual(['p/stock']);
  });

  it('on a retry runs only the handlers named in x-retry-handlers', async () => {
    const { calls, step } = setUp();
    await step(ctxFor('orders.order.created', { 'x-retry-handlers': 'p/any' }));
    expect(calls).toEqual(['p/any']);
  });

  it('acks a delivery no handler matches', () => {
    const { calls, step } = setUp();
    expect(step(ctxFor('customers.customer.created'))).toBe('ack');
    expect(calls).toEqual([]);
  });

  it('labels a failure with its handler, and one failure carries the other failed handlers', async () => {
    const { step } = setUp(new Set(['p/created', 'p/any']));
    const error = await Promise.resolve(step(ctxFor('orders.order.created'))).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HandlerFailure);
    expect((error as HandlerFailure).binding.key).toBe('p/created');
    expect((error as HandlerFailure).others.map((b) => b.key)).toEqual(['p/any']);
    expect(((error as HandlerFailure).cause as Error).message).toBe('p/created failed');
  });

  it('a single failing handler fails synchronously with a HandlerFailure', () => {
    const { step } = setUp(new Set(['p/stock']));
    expect(() => step(ctxFor('inventory.stock.low'))).toThrow(HandlerFailure);
  });
});
