import { describe, expect, it } from 'vitest';
import { hopsFor, nextTier } from './deferral.ts';
import { formatDate, formatDateTime, formatDuration, formatRupiah } from './format.ts';
import { DEFAULT_TIERS_MS } from './options.ts';
import { sign, verify, retryAfterMs } from 'stokcerdas/webhooks';

describe('formatRupiah', () => {
  it.each([
    [0, 'Rp0'],
    [999, 'Rp999'],
    [1000, 'Rp1.000'],
    [1_250_000, 'Rp1.250.000'],
    [12_345_678_901, 'Rp12.345.678.901'],
    [-150_000, '-Rp150.000'],
  ])('writes %d as %s', (amount, text) => {
    expect(formatRupiah(amount)).toBe(text);
  });

  it('groups amounts beyond 2^53 exactly when given as BigInt', () => {
    expect(formatRupiah(123_456_789_012_345_678_901n)).toBe('Rp123.456.789.012.345.678.901');
  });

  it('writes English with commas and the ISO code', () => {
    expect(formatRupiah(1_250_000, 'en')).toBe('IDR 1,250,000');
  });

  it('refuses fractions of a rupiah instead of rounding them silently', () => {
    expect(() => formatRupiah(1000.5)).toThrow(RangeError);
  });
});

describe('dates in the recipient zone', () => {
  const instant = '2026-01-05T03:00:00Z';

  it('writes WIB, WITA and WIT times the Indonesian way', () => {
    expect(formatDateTime(instant, 'Asia/Jakarta')).toBe('Senin, 5 Januari 2026 pukul 10.00 WIB');
    expect(formatDateTime(instant, 'Asia/Makassar')).toBe('Senin, 5 Januari 2026 pukul 11.00 WITA');
    expect(formatDateTime(instant, 'Asia/Jayapura')).toBe('Senin, 5 Januari 2026 pukul 12.00 WIT');
  });

  it('moves the date when the zone crosses midnight', () => {
    expect(formatDate('2026-01-04T16:30:00Z', 'Asia/Jayapura')).toBe('5 Januari 2026');
    expect(formatDate('2026-01-04T16:30:00Z', 'Asia/Jakarta')).toBe('4 Januari 2026');
  });

  it('writes English and foreign zones with an offset', () => {
    expect(formatDateTime(instant, 'Asia/Jakarta', 'en')).toBe('Monday 5 January 2026 at 10:00 WIB');
    expect(formatDateTime(instant, 'Asia/Singapore', 'en')).toBe('Monday 5 January 2026 at 11:00 UTC+8');
  });

  it('says how late in hours and minutes', () => {
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 jam 5 menit');
    expect(formatDuration(26 * 3_600_000, 'en')).toBe('1 d 2 h');
    expect(formatDuration(10_000)).toBe('1 menit');
  });
});

describe('deferral tiers', () => {
  it('takes the largest tier that fits and is due at zero', () => {
    expect(nextTier(DEFAULT_TIERS_MS, 0)).toBeUndefined();
    expect(nextTier(DEFAULT_TIERS_MS, 16 * 3_600_000)).toBe(57_600_000);
    expect(nextTier(DEFAULT_TIERS_MS, 59_000)).toBe(60_000);
    expect(nextTier(DEFAULT_TIERS_MS, 4_000_000)).toBe(3_600_000);
  });

  it('holds a weekend in four hops and a night (17:00 → 09:00) in one', () => {
    expect(hopsFor(DEFAULT_TIERS_MS, 64 * 3_600_000)).toBe(4);
    expect(hopsFor(DEFAULT_TIERS_MS, 16 * 3_600_000)).toBe(1);
    expect(hopsFor(DEFAULT_TIERS_MS, 13 * 3_600_000 + 59 * 60_000)).toBeLessThanOrEqual(16);
  });
});

describe('webhook signatures', () => {
  const secret = 'a-secret-of-16+chars';

  it('signs timestamp and body, and verifies only the untouched pair', () => {
    const body = '{"a":1}';
    const signature = sign(secret, 1_767_582_000, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verify(secret, { signature, timestamp: '1767582000' }, body, 1_767_582_010)).toBe(true);
    expect(verify(secret, { signature, timestamp: '1767582000' }, '{"a":2}', 1_767_582_010)).toBe(false);
    expect(verify(secret, { signature, timestamp: '1767582001' }, body, 1_767_582_010)).toBe(false);
    expect(verify(secret, { signature, timestamp: '1767582000' }, body, 1_767_583_000)).toBe(false);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });
});
