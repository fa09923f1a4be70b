import { describe, expect, it } from 'vitest';
import { IndonesianCalendar, createIndonesianContext } from '../../../runtime/context/indonesia/index.ts';
import { eventAt, referenceProvinces } from './reference.ts';

const calendar = new IndonesianCalendar();
const { provider } = createIndonesianContext();
const rows = referenceProvinces.map((p) => [p.code, p.tz, p.zone, p] as const);

describe('every province in the reference', () => {
  it.each(rows)('%s is in %s (%s)', (code, tz, zone, ref) => {
    expect(calendar.zoneForProvince(code)).toMatchObject({
      code,
      name: ref.name,
      nameEn: ref.name_en,
      timezone: tz,
      zone,
      utcOffset: ref.utc_offset,
    });
  });

  it.each(rows)('%s: an event located there gets its zone and local offset', (code, tz, zone, ref) => {
    const ctx = provider.contextFor(eventAt('2026-06-10T03:00:00Z', { data: { locationData: { province: code } } }));
    expect(ctx.timezone).toBe(tz);
    expect(ctx.geographicContext).toMatchObject({ timeZone: zone, province: code });
    expect(ctx.localTime!.endsWith(ref.utc_offset)).toBe(true);
    expect(ctx.regionalContext).toMatchObject({ provinceName: ref.name, source: 'location' });
  });

  it.each(rows)('%s is found by its code without "ID-", its Kemendagri code and its name', (code, _tz, _zone, ref) => {
    for (const key of [code.toLowerCase(), code.slice(3), ref.kemendagri_code, ref.name, ref.name_en.toUpperCase()]) {
      expect(calendar.zoneForProvince(key)?.code, key).toBe(code);
    }
  });
});

describe('zoneForProvince', () => {
  it('maps Bali to Asia/Makassar and WITA', () => {
    expect(calendar.zoneForProvince('ID-BA')).toMatchObject({ timezone: 'Asia/Makassar', zone: 'WITA' });
  });

  it('keeps Kalimantan Barat on WIB, the 1988 change (Keppres 41/1987)', () => {
    expect(calendar.zoneForProvince('ID-KB')).toMatchObject({ timezone: 'Asia/Jakarta', zone: 'WIB' });
  });

  it('knows the four Papua provinces of 2022', () => {
    for (const code of ['ID-PS', 'ID-PT', 'ID-PE', 'ID-PD']) expect(calendar.zoneForProvince(code)?.zone).toBe('WIT');
  });

  it('answers undefined for an unknown code', () => {
    expect(calendar.zoneForProvince('ID-XX')).toBeUndefined();
  });
});
