import { afterEach, describe, expect, it } from 'vitest';
import { createTestBus, type TestBus } from 'stokcerdas/testing';
import businessRules from './index.ts';

let bus: TestBus | undefined;
afterEach(async () => {
  await bus?.close();
  bus = undefined;
});

async function start(options: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  bus = await createTestBus({
    plugins: [businessRules],
    options: { 'business-rules': options },
    now: '2026-03-02T03:00:00Z',
    config,
  });
  return bus;
}

const publishedOf = (b: TestBus, type: string) => b.published.filter((e) => e.type === type);

const orderData = {
  id: 'ORD-1',
  orderedAt: '2026-03-02T10:00:00+07:00',
  deliveryDate: '2026-03-05',
  items: [
    { productData: { id: 'kurma-1kg', category: 'food', halalCertificateNumber: 'ID001' }, quantity: 3, unitPrice: 333_333 },
    { productData: { id: 'sirup', category: 'beverage' }, quantity: 1, unitPrice: 1 },
  ],
};
const order = { orderData };

/** The same order as a version 1 (flat) payload: upcast before the handlers see it. */
const flatOrder = {
  orderId: 'ORD-1',
  orderedAt: '2026-03-02T10:00:00+07:00',
  deliveryDate: '2026-03-05',
  items: [
    { productId: 'kurma-1kg', quantity: 3, unitPrice: 333_333, category: 'food', halalCertificateNumber: 'ID001' },
    { productId: 'sirup', quantity: 1, unitPrice: 1, category: 'beverage' },
  ],
};

describe('business-rules on the fake bus', () => {
  it('publishes PPN, the payment SLA and a halal violation for a new order', async () => {
    const b = await start();
    await b.publish('orders.order.created', order);
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.tax.calculated').map((e) => e.data)).toEqual([
      expect.objectContaining({ orderId: 'ORD-1', taxDate: '2026-03-05', totalAmount: 1_000_000, totalPpn: 110_000, totalWithPpn: 1_110_000 }),
    ]);
    expect(publishedOf(b, 'indonesian.business.sla.computed').map((e) => e.data)).toEqual([
      expect.objectContaining({ sla: 'payment', deadline: '2026-03-03T17:00:00.000+07:00' }),
    ]);
    expect(publishedOf(b, 'indonesian.business.rule.violated').map((e) => e.data)).toEqual([
      expect.objectContaining({ rule: 'halal-certificate-required', productId: 'sirup', orderId: 'ORD-1' }),
    ]);
    expect(b.failed).toEqual([]);
  });

  it('handles a legacy flat (version 1) order the same, after upcasting', async () => {
    const b = await start();
    await b.publish('orders.order.created', flatOrder);
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.tax.calculated').map((e) => e.data)).toEqual([
      expect.objectContaining({ orderId: 'ORD-1', taxDate: '2026-03-05', totalPpn: 110_000 }),
    ]);
    expect(publishedOf(b, 'indonesian.business.rule.violated').map((e) => e.data)).toEqual([
      expect.objectContaining({ productId: 'sirup', orderId: 'ORD-1' }),
    ]);
    expect(publishedOf(b, 'indonesian.business.sla.computed')).toHaveLength(1);
  });

  it('publishes sla.breached when payment arrives after the deadline', async () => {
    const b = await start();
    await b.publish('orders.order.paid', { ...order, paymentData: { amount: 1_110_000, paidAt: '2026-03-04T09:00:00+07:00' } });
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.sla.breached').map((e) => e.data)).toEqual([
      expect.objectContaining({ orderId: 'ORD-1', sla: 'payment', lateByBusinessDays: 1 }),
    ]);
  });

  it('reads paidAt of a legacy flat paid order, kept beside the upcast parts', async () => {
    const b = await start();
    const paid = { ...flatOrder, paidAt: '2026-03-04T09:00:00+07:00' }; // a field of the producer's own, beside version 1's
    await b.publish('orders.order.paid', paid);
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.sla.breached').map((e) => e.data)).toEqual([
      expect.objectContaining({ orderId: 'ORD-1', sla: 'payment', lateByBusinessDays: 1 }),
    ]);
  });

  it('checks the shipping SLA from the payment a shipped order carries', async () => {
    const b = await start();
    // paymentData rides beside a shipped order's parts (a field the producer adds)
    const shipped = {
      ...order,
      paymentData: { amount: 1_110_000, paidAt: '2026-03-16T12:00:00+07:00' },
      fulfillmentData: { status: 'shipped' as const, shippedAt: '2026-03-26T09:00:00+07:00' },
    };
    await b.publish('orders.order.shipped', shipped);
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.sla.breached').map((e) => e.data)).toEqual([
      expect.objectContaining({ orderId: 'ORD-1', sla: 'shipping', deadline: '2026-03-25T17:00:00.000+07:00', lateByBusinessDays: 1 }),
    ]);
  });

  it("counts the SLA in the order's province", async () => {
    const b = await start();
    await b.publish('orders.order.created', {
      orderData: { id: 'ORD-2', orderedAt: '2026-01-09T15:30:00Z' },
      locationData: { id: 'toko-jayapura', province: 'ID-PA' },
    });
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.sla.computed')[0].data).toMatchObject({
      timezone: 'Asia/Jayapura',
      deadline: '2026-01-12T17:00:00.000+09:00',
    });
  });

  it('flags Ramadan demand on inventory events', async () => {
    const b = await start();
    await b.publish(
      'inventory.stock.low',
      { productData: { id: 'kurma-1kg', category: 'food' }, locationData: { id: 'gudang-1' }, stockLevel: { current: 3 } },
      { time: '2026-03-15T03:00:00Z' },
    );
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.demand.flagged').map((e) => e.data)).toEqual([
      expect.objectContaining({ productId: 'kurma-1kg', locationId: 'gudang-1', category: 'food', ramadan: true, preLebaran: true, ramadanSensitive: true, sourceEventType: 'inventory.stock.low' }),
    ]);
  });

  it('stays quiet on inventory events with no flag', async () => {
    const b = await start();
    await b.publish('inventory.stock.low', { productData: { id: 'p' }, locationData: { id: 'l' }, stockLevel: { current: 3 } }, { time: '2026-07-15T03:00:00Z' });
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.demand.flagged')).toEqual([]);
  });

  it('reports a food product created without a certificate', async () => {
    const b = await start();
    await b.publish('inventory.product.created', { productData: { id: 'kerupuk', name: 'Kerupuk Udang', category: 'food' } });
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.rule.violated').map((e) => e.data)).toEqual([
      expect.objectContaining({ subject: 'product', productId: 'kerupuk' }),
    ]);
  });

  it('switches a rule off by option', async () => {
    const b = await start({ vat: { enabled: false }, halal: { enabled: false } });
    await b.publish('orders.order.created', order);
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.tax.calculated')).toEqual([]);
    expect(publishedOf(b, 'indonesian.business.rule.violated')).toEqual([]);
    expect(publishedOf(b, 'indonesian.business.sla.computed')).toHaveLength(1);
  });

  it('taxes configured luxury categories at the full 12 %', async () => {
    const b = await start({ vat: { luxuryCategories: ['motor-vehicle'] } });
    await b.publish('orders.order.created', {
      orderData: {
        id: 'CAR-1',
        deliveryDate: '2025-02-01',
        items: [{ productData: { id: 'car', category: 'motor-vehicle' }, quantity: 1, unitPrice: 500_000_000 }],
      },
    });
    await b.idle();
    expect(publishedOf(b, 'indonesian.business.tax.calculated')[0].data).toMatchObject({ totalPpn: 60_000_000 });
  });

  it('refuses bad options at start, with their path', async () => {
    await expect(start({ sla: { paymentBusinessDays: 0 } })).rejects.toThrow(/sla\.paymentBusinessDays/);
  });
});
