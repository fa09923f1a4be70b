import { describe, expect, it } from 'vitest';
import { IndonesianCalendar } from 'stokcerdas/context';
import { businessRulesOptionsSchema } from './options.ts';
import { computeSla, slaEventsFor } from './sla.ts';

const calendar = new IndonesianCalendar();
const cutiOpen = new IndonesianCalendar({ config: { cutiBersamaIsBusinessDay: true } });
const policy = businessRulesOptionsSchema.parse({}).sla;
const WIB = 'Asia/Jakarta';
const payment = (startedAt: string, zone = WIB, cal = calendar, p = policy) =>
  computeSla(cal, { orderId: 'o1', sla: 'payment', startedAt, zone }, p).deadline;

describe('SLA deadlines', () => {
  it('closes a one-day payment SLA at 17:00 on the next business day', () => {
    expect(payment('2026-03-02T10:00:00+07:00')).toBe('2026-03-03T17:00:00.000+07:00');
  });

  it('skips Nyepi, Lebaran and their cuti bersama', () => {
    expect(payment('2026-03-17T10:00:00+07:00')).toBe('2026-03-25T17:00:00.000+07:00');
  });

  it('counts cuti bersama when the context config makes it a working day', () => {
    expect(payment('2026-03-17T10:00:00+07:00', WIB, cutiOpen)).toBe('2026-03-18T17:00:00.000+07:00');
  });

  it("counts in the order's zone: Friday 22:30 WIB is Saturday 00:30 WIT", () => {
    expect(payment('2026-01-09T15:30:00Z', WIB)).toBe('2026-01-12T17:00:00.000+07:00');
    expect(payment('2026-01-09T15:30:00Z', 'Asia/Jayapura')).toBe('2026-01-12T17:00:00.000+09:00');
    expect(payment('2026-01-08T15:30:00Z', 'Asia/Jayapura')).toBe('2026-01-12T17:00:00.000+09:00');
    expect(payment('2026-01-08T15:30:00Z', WIB)).toBe('2026-01-09T17:00:00.000+07:00');
  });

  it('can keep the time of day instead of closing time', () => {
    const sameTime = businessRulesOptionsSchema.parse({ sla: { deadlineAt: 'same-time' } }).sla;
    expect(payment('2026-03-02T10:00:00+07:00', WIB, calendar, sameTime)).toBe('2026-03-03T10:00:00.000+07:00');
  });

  it('says when a year on the way has no holiday data', () => {
    const known = computeSla(calendar, { orderId: 'o1', sla: 'shipping', startedAt: '2027-12-27T10:00:00+07:00', zone: WIB }, policy);
    const unknown = computeSla(calendar, { orderId: 'o1', sla: 'shipping', startedAt: '2027-12-30T10:00:00+07:00', zone: WIB }, policy);
    expect(known).toMatchObject({ deadline: '2027-12-29T17:00:00.000+07:00', holidaysUnknown: false });
    expect(unknown).toMatchObject({ deadline: '2028-01-03T17:00:00.000+07:00', holidaysUnknown: true });
  });
});

describe('SLA events of an order', () => {
  const events = (type: string, order: Record<string, string>, time = '2026-03-02T03:00:00Z', zone = WIB) =>
    slaEventsFor(calendar, type, { orderId: 'o1', ...order }, time, zone, policy);

  it('computes the payment SLA when the order is created', () => {
    expect(events('orders.order.created', { orderedAt: '2026-03-02T10:00:00+07:00' })).toEqual([
      {
        type: 'indonesian.business.sla.computed',
        data: {
          orderId: 'o1',
          sla: 'payment',
          startedAt: '2026-03-02T10:00:00+07:00',
          businessDays: 1,
          deadline: '2026-03-03T17:00:00.000+07:00',
          timezone: WIB,
          holidaysUnknown: false,
        },
      },
    ]);
  });

  it('starts from the event time when orderedAt is missing or malformed', () => {
    const [e] = events('orders.order.created', { orderedAt: 'yesterday' }, '2026-03-02T03:00:00Z');
    expect(e.data).toMatchObject({ startedAt: '2026-03-02T03:00:00Z', deadline: '2026-03-03T17:00:00.000+07:00' });
  });

  it('on payment in time: no breach, and the shipping SLA starts', () => {
    const out = events('orders.order.paid', { orderedAt: '2026-03-02T10:00:00+07:00', paidAt: '2026-03-03T16:59:00+07:00' });
    expect(out.map((e) => e.type)).toEqual(['indonesian.business.sla.computed']);
    expect(out[0].data).toMatchObject({ sla: 'shipping', deadline: '2026-03-05T17:00:00.000+07:00' });
  });

  it('on late payment: publishes the breach with how late', () => {
    const out = events('orders.order.paid', { orderedAt: '2026-03-02T10:00:00+07:00', paidAt: '2026-03-04T09:00:00+07:00' });
    expect(out.map((e) => e.type)).toEqual(['indonesian.business.sla.breached', 'indonesian.business.sla.computed']);
    expect(out[0].data).toMatchObject({
      sla: 'payment',
      deadline: '2026-03-03T17:00:00.000+07:00',
      occurredAt: '2026-03-04T09:00:00+07:00',
      lateByMs: 16 * 3_600_000,
      lateByBusinessDays: 1,
    });
  });

  it('lets a shipment made on cuti bersama be on time, and one after the deadline breach', () => {
    const paidAt = '2026-03-16T12:00:00+07:00';
    expect(events('orders.order.shipped', { paidAt, shippedAt: '2026-03-24T10:00:00+07:00' })).toEqual([]);
    const [late] = events('orders.order.shipped', { paidAt, shippedAt: '2026-03-26T09:00:00+07:00' });
    expect(late).toMatchObject({
      type: 'indonesian.business.sla.breached',
      data: { sla: 'shipping', deadline: '2026-03-25T17:00:00.000+07:00', lateByBusinessDays: 1 },
    });
  });

  it('checks nothing when the start of the SLA is unknown', () => {
    expect(events('orders.order.shipped', { shippedAt: '2026-03-26T09:00:00+07:00' })).toEqual([]);
    expect(events('orders.order.delivered', { paidAt: '2026-03-16T12:00:00+07:00' })).toEqual([]);
  });
});
