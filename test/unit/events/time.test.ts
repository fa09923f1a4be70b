import { describe, expect, it } from 'vitest';
import { parseTime } from '../../../runtime/events/time.ts';

describe('parseTime', () => {
  it('reads what Date.parse reads, the same text twice in a row included', () => {
    const texts = ['2026-12-06T09:45:24.651Z', '2026-12-06T09:45:24.651Z', '2026-12-06T16:45:24.651+07:00', 'not a time', 'not a time', '2026-12-06T09:45:24.652Z'];
    expect(texts.map(parseTime)).toEqual(texts.map((t) => Date.parse(t)));
  });
});
