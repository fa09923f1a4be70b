import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../runtime/terminal/progress.ts';

function capture(isTTY: boolean) {
  const writes: string[] = [];
  let t = 0;
  return { stream: { isTTY, columns: 80, write: (s: string) => writes.push(s) }, writes, tick: (ms: number) => (t += ms), now: () => t };
}

describe('progress of a long CLI operation', () => {
  it('prints plain lines when not on a terminal: the start, each tenth, and the end', () => {
    const out = capture(false);
    const p = createProgress('replay x.dlq', 100, out.stream, out.now);
    for (let i = 1; i <= 100; i++) p.update(i);
    p.finish('replayed 100');
    expect(out.writes.every((w) => !w.includes('\r') && !w.includes('\x1b'))).toBe(true);
    expect(out.writes[0]).toBe('replay x.dlq: 0/100 (0%)\n');
    expect(out.writes).toContain('replay x.dlq: 50/100 (50%)\n');
    expect(out.writes.filter((w) => w.includes('(') && w.endsWith('%)\n'))).toHaveLength(11);
    expect(out.writes.at(-1)).toBe('replay x.dlq: replayed 100\n');
  });

  it('prints a line at least every 5 s while a slow operation moves within one tenth', () => {
    const out = capture(false);
    const p = createProgress('purge', 1000, out.stream, out.now);
    out.tick(6_000);
    p.update(3);
    expect(out.writes.at(-1)).toBe('purge: 3/1,000 (0%)\n');
  });

  it('redraws one bar in place on a terminal and leaves the summary below it', () => {
    const out = capture(true);
    const p = createProgress('demo', 10, out.stream, out.now);
    out.tick(100);
    p.update(5);
    out.tick(10);
    p.update(6); // within 80 ms of the last draw: skipped
    out.tick(1_000);
    p.finish('10 events');
    const bars = out.writes.filter((w) => w.startsWith('\r'));
    expect(bars).toHaveLength(3);
    expect(bars[1]).toMatch(/^\rdemo \[█+░+\]  50% 5\/10/);
    expect(out.writes.at(-1)).toBe('demo: 10 events\n');
  });
});
