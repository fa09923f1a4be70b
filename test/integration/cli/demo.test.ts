import { describe, expect, it } from 'vitest';
import { runDemo } from '../../../runtime/demo/demo.ts';

describe('stokcerdas demo', () => {
  it('runs a generated day through all four plugins and every part of the summary shows work done', async () => {
    const lines: string[] = [];
    const s = await runDemo({ print: (l) => lines.push(l) });
    expect(s.shopEvents).toBeGreaterThan(300);
    expect(s.forecasts).toBeGreaterThan(0);
    expect(s.reorderSuggestions).toBeGreaterThan(0);
    expect(s.rules).toMatchObject({ 'tax.calculated': expect.any(Number), 'sla.computed': expect.any(Number), 'sla.breached': expect.any(Number), 'rule.violated': expect.any(Number) });
    expect(s.notifications.sent).toBeGreaterThan(0);
    expect(s.notifications.deferred).toBeGreaterThan(0);
    expect(s.notifications.released).toBe(s.notifications.deferred);
    const shopee = s.syncs.find((t) => t.target === 'shopee')!;
    expect(shopee.retried).toBeGreaterThan(0);
    expect(shopee.breakerOpens).toBeGreaterThan(0);
    expect(s.syncs.find((t) => t.target === 'tokopedia')!.pushed).toBeGreaterThan(0);
    expect(s.deadLettered).toEqual({});
    expect(lines.join('\n')).toContain('StokCerdas demo summary');
  }, 240_000);
});
