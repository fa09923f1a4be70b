import { describe, expect, it } from 'vitest';
import { createHost, type PauseControl } from 'stokcerdas';
import { captureLogs } from '../../support/logs.ts';

describe('the pause service', () => {
  it('is `pause`; the old name `bindings` resolves to the same service and warns once', () => {
    const { lines, logger } = captureLogs();
    const host = createHost({ http: { enabled: false } }, { plugins: [], logger });
    const pause = host.resolve<PauseControl>('pause');
    expect(typeof pause.pause).toBe('function');
    expect(host.resolve('bindings')).toBe(pause);
    expect(host.resolve('bindings')).toBe(pause);
    const warnings = lines.filter((l) => String(l.msg).includes('"bindings" is now called "pause"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe(40);
  });
});
