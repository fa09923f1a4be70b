import { describe, expect, it, vi } from 'vitest';
import { PoisonMessageError } from '../../../../runtime/errors.ts';
import { SchemaRegistry } from '../../../../runtime/events/schemas.ts';
import { compose } from '../../../../runtime/pipeline/compose.ts';
import { decode } from '../../../../runtime/pipeline/decode.ts';
import type { DeliveryStep } from '../../../../runtime/pipeline/types.ts';
import { contextOf, deliveryOf, wireEvent } from './stubs.ts';

const registry = new SchemaRegistry();
const now = () => Date.UTC(2026, 0, 5);

function run(body: unknown) {
  const next = vi.fn<DeliveryStep>(() => 'ack');
  const ctx = contextOf(deliveryOf(body));
  const step = compose<DeliveryStep>(decode(registry, now))(next);
  return { next, ctx, settle: () => step(ctx) };
}

describe('decode', () => {
  it('puts the validated CloudEvent on the context and calls next', () => {
    const { next, ctx, settle } = run(wireEvent({ tenantid: 't1' }));
    expect(settle()).toBe('ack');
    expect(next).toHaveBeenCalledOnce();
    expect(ctx.event).toMatchObject({ id: 'e-1', type: 'orders.order.created', tenantid: 't1', data: { orderData: { id: 'O-1' } } });
  });

  it('turns a plain JSON body on a known routing key into the event data', () => {
    const { ctx, settle } = run({ orderData: { id: 'O-9' } });
    settle();
    expect(ctx.event).toMatchObject({ specversion: '1.0', type: 'orders.order.created', data: { orderData: { id: 'O-9' } } });
  });

  it('upcasts a legacy flat (version 1) body to the canonical shape', () => {
    const { ctx, settle } = run({ orderId: 'O-9' });
    settle();
    expect(ctx.event).toMatchObject({ data: { orderData: { id: 'O-9' } }, dataschema: 'urn:stokcerdas:event:orders.order.created:v2' });
  });

  it('throws PoisonMessageError for a body that is not JSON, and never calls next', () => {
    const { next, settle } = run('{not json');
    expect(settle).toThrow(PoisonMessageError);
    expect(settle).toThrow(/body is not JSON/);
    expect(next).not.toHaveBeenCalled();
  });

  it('throws PoisonMessageError listing every schema problem by path', () => {
    const { next, settle } = run(wireEvent({ type: 'inventory.stock.level.changed', data: { productData: { id: 7 } } }));
    let error: unknown;
    try {
      settle();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PoisonMessageError);
    expect((error as PoisonMessageError).problems.some((p) => p.startsWith('data.productData.id'))).toBe(true);
    expect(next).not.toHaveBeenCalled();
  });
});
