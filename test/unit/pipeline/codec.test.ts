import { describe, expect, it } from 'vitest';
import { buildEvent, toMessage } from '../../../runtime/events/codec.ts';

const options = { exchange: 'x', priority: 5, ttlMs: 1_000, appId: 'test' };

describe('toMessage: bodies carved from a shared slab', () => {
  it('gives every message its own bytes, across slab boundaries and multi-byte text', () => {
    const sent: { json: string; body: Buffer }[] = [];
    // ~600 messages of up to ~3 KiB each: several 256 KiB slabs, some UTF-8 wider than one byte a char
    for (let i = 0; i < 600; i++) {
      const note = (i % 3 === 0 ? 'Lebaran ☪ stok menipis — ' : 'stok ') + 'x'.repeat((i * 37) % 2_500);
      const event = buildEvent('inventory.stock.level.changed', { seq: i, note }, { source: 'test', now: Date.UTC(2026, 2, 1) + i });
      const message = toMessage(event, options);
      sent.push({ json: JSON.stringify(event), body: message.body });
    }
    for (const { json, body } of sent) {
      expect(body.toString('utf8')).toBe(json);
      expect(body.length).toBe(Buffer.byteLength(json));
    }
  });

  it('encodes a body too large for the slab on its own', () => {
    const event = buildEvent('inventory.stock.level.changed', { blob: 'y'.repeat(100_000) }, { source: 'test', now: Date.now() });
    const message = toMessage(event, options);
    expect(JSON.parse(message.body.toString('utf8'))).toEqual(event);
  });

  it('stamps the AMQP timestamp from the event time', () => {
    const now = Date.UTC(2026, 10, 27, 3, 4, 5, 678);
    const event = buildEvent('inventory.stock.level.changed', {}, { source: 'test', now });
    expect(toMessage(event, options).properties.timestamp).toBe(Math.floor(now / 1000));
    expect(toMessage(event, { ...options, timeMs: now }).properties.timestamp).toBe(Math.floor(now / 1000));
  });
});
