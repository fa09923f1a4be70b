import { describe, expect, it } from 'vitest';
import { parseIngestBody } from '../../../runtime/http/index.ts';

describe('POST /events bodies', () => {
  it('maps a CloudEvent onto publish options, keeping its id, source, time and extensions', () => {
    const { items, problems, batch } = parseIngestBody(
      JSON.stringify({
        specversion: '1.0', id: 'e-1', source: 'urn:pos', type: 'orders.order.paid', time: '2026-03-01T02:00:00Z', data: { orderData: { id: 'O' } },
        tenantid: 't', userid: 'u', correlationid: 'c', causationid: 'x', traceparent: '00-abc-def-01', indozone: 'WIB',
      }),
    );
    expect(problems).toEqual([]);
    expect(batch).toBe(false);
    expect(items).toEqual([
      {
        type: 'orders.order.paid',
        data: { orderData: { id: 'O' } },
        options: { id: 'e-1', source: 'urn:pos', time: '2026-03-01T02:00:00Z', tenantId: 't', userId: 'u', correlationId: 'c', causationId: 'x', traceparent: '00-abc-def-01' },
      },
    ]);
  });

  it('takes the plain form with priority and ttl', () => {
    const { items } = parseIngestBody(JSON.stringify([{ type: 'orders.order.paid', data: {}, tenantId: 't', priority: 9, ttl: 1000 }]));
    expect(items[0]).toEqual({ type: 'orders.order.paid', data: {}, options: { tenantId: 't', priority: 9, ttl: 1000 } });
  });

  it('lists every problem of every element, by path', () => {
    const { items, problems } = parseIngestBody(
      JSON.stringify([{ type: 'a.b', data: 1, priority: 12, ttl: -1, time: 'yesterday' }, 'text', { specversion: '1.0', type: 'a.b', id: 'i', source: 's' }]),
    );
    expect(items).toEqual([]);
    expect(problems).toEqual([
      '[0].time: must be an RFC 3339 timestamp',
      '[0].priority: must be an integer 0–9',
      '[0].ttl: must be a positive integer (milliseconds)',
      '[1]: must be an event object (got string)',
      '[2].data: is required (the event payload)',
    ]);
  });
});
