import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../runtime/context/indonesia/local-time.ts';

describe('ZoneClock.format', () => {
  it('writes the same RFC 3339 local time as luxon, however instants follow each other', () => {
    const zones = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'Asia/Kolkata', 'America/New_York', 'UTC'];
    // in order, backwards, within one second, across seconds, days, DST changes and odd years
    const base = [Date.UTC(2026, 2, 8, 6, 59, 59, 998), Date.UTC(2026, 10, 1, 5, 30), Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.UTC(2026, 0, 1), -1, 0, Date.UTC(9999, 11, 20, 12)];
    const steps = [0, 1, 7, 99, 100, 999, 1000, 1001, 60_000, 3_599_999, 86_400_000, -1, -1000];
    for (const tz of zones) {
      const clock = new ZoneClock(tz);
      for (const start of base) {
        let ts = start;
        for (const step of [...steps, ...steps.slice().reverse()]) {
          ts += step;
          const expected = DateTime.fromMillis(ts, { zone: tz }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ");
          expect(clock.format(ts), `${tz} ${ts}`).toBe(expected);
        }
      }
    }
  });
});
