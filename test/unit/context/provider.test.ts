import { describe, expect, it } from 'vitest';
import { createIndonesianContext } from '../../../runtime/context/indonesia/index.ts';
import { createTimezoneOnlyProvider } from '../../../runtime/context/timezone-provider.ts';
import { eventAt } from './reference.ts';

const { provider } = createIndonesianContext({
  tenants: { 'toko-jayapura': { province: 'ID-PA' }, 'toko-bali': { province: 'ba' } },
});
const inJayapura = { data: { locationData: { province: 'ID-PA' } } };

describe('the zone of an event', () => {
  it('comes from data.locationData.province first', () => {
    const ctx = provider.contextFor(eventAt('2026-03-02T03:00:00Z', { tenantid: 'toko-bali', ...inJayapura }));
    expect(ctx.timezone).toBe('Asia/Jayapura');
    expect(ctx.geographicContext).toEqual({ timeZone: 'WIT', province: 'ID-PA', region: 'Papua' });
    expect(ctx.regionalContext).toMatchObject({ source: 'location' });
  });

  it("then from the tenant's province in the config", () => {
    const ctx = provider.contextFor(eventAt('2026-03-02T03:00:00Z', { tenantid: 'toko-bali', data: { locationData: { province: 'Atlantis' } } }));
    expect(ctx.geographicContext).toEqual({ timeZone: 'WITA', province: 'ID-BA', region: 'Bali dan Nusa Tenggara' });
    expect(ctx.regionalContext).toMatchObject({ source: 'tenant', provinceName: 'Bali' });
  });

  it('else the configured timezone, Asia/Jakarta by default', () => {
    const ctx = provider.contextFor(eventAt('2026-03-02T03:00:00Z', { tenantid: 'someone-else', data: null }));
    expect(ctx.timezone).toBe('Asia/Jakarta');
    expect(ctx.geographicContext).toEqual({ timeZone: 'WIB' });
    expect(ctx.localTime).toBe('2026-03-02T10:00:00.000+07:00');
  });
});

describe('business hours at the edges', () => {
  it('is open at 16:59 and closed at 17:00 in Jayapura (07:59 / 08:00 UTC)', () => {
    expect(provider.contextFor(eventAt('2026-03-02T07:59:00Z', inJayapura)).businessHours).toBe(true);
    expect(provider.contextFor(eventAt('2026-03-02T08:00:00Z', inJayapura)).businessHours).toBe(false);
    expect(provider.contextFor(eventAt('2026-03-02T07:59:59.999Z', inJayapura)).localTime).toBe('2026-03-02T16:59:59.999+09:00');
  });

  it('is open in Jayapura and still closed in Jakarta at 00:30 UTC', () => {
    expect(provider.contextFor(eventAt('2026-03-02T00:30:00Z', inJayapura)).businessHours).toBe(true);
    expect(provider.contextFor(eventAt('2026-03-02T00:30:00Z')).businessHours).toBe(false);
  });

  it('puts 15:00 UTC on Tuesday in Jayapura and on Monday night in Jakarta', () => {
    expect(provider.contextFor(eventAt('2026-03-02T15:00:00Z', inJayapura)).localTime).toBe('2026-03-03T00:00:00.000+09:00');
    expect(provider.contextFor(eventAt('2026-03-02T15:00:00Z')).localTime).toBe('2026-03-02T22:00:00.000+07:00');
  });

  it('reads an event time written with another offset as the same instant', () => {
    expect(provider.contextFor(eventAt('2026-03-02T16:59:00+09:00', inJayapura)).businessHours).toBe(true);
    expect(provider.contextFor(eventAt('2026-03-02T17:00:00+09:00', inJayapura)).businessHours).toBe(false);
  });
});

describe('holidays in the context', () => {
  it('names the holiday in Indonesian and English and closes business', () => {
    const ctx = provider.contextFor(eventAt('2026-08-17T03:00:00Z'));
    expect(ctx.holiday).toEqual({ name: 'Proklamasi Kemerdekaan', nameEn: 'Independence Day', kind: 'national' });
    expect(ctx.businessHours).toBe(false);
    expect(ctx.holidaysUnknown).toBe(false);
  });

  it('treats cuti bersama as closed by default and open when configured', () => {
    const open = createIndonesianContext({ cutiBersamaIsBusinessDay: true }).provider;
    const event = eventAt('2026-12-24T03:00:00Z');
    expect(provider.contextFor(event)).toMatchObject({ businessHours: false, holiday: { kind: 'cuti-bersama' } });
    expect(open.contextFor(event)).toMatchObject({ businessHours: true, holiday: { kind: 'cuti-bersama' } });
  });

  it('has no holiday on an ordinary day', () => {
    expect(provider.contextFor(eventAt('2026-03-02T03:00:00Z')).holiday).toBeUndefined();
  });

  it('changes year at local midnight: New Year 2027 starts at 17:00 UTC in Jakarta', () => {
    expect(provider.contextFor(eventAt('2026-12-31T16:59:00Z')).holiday).toBeUndefined();
    expect(provider.contextFor(eventAt('2026-12-31T17:00:00Z')).holiday?.nameEn).toBe("New Year's Day");
    expect(provider.contextFor(eventAt('2026-12-31T14:59:00Z', inJayapura)).holiday).toBeUndefined();
    expect(provider.contextFor(eventAt('2026-12-31T15:00:00Z', inJayapura)).holiday?.nameEn).toBe("New Year's Day");
  });

  it('says "unknown" from the first local minute of a year without decree data', () => {
    const last = provider.contextFor(eventAt('2027-12-31T14:59:00Z', inJayapura));
    const first = provider.contextFor(eventAt('2027-12-31T15:00:00Z', inJayapura));
    expect(last.holidaysUnknown).toBe(false);
    expect(first.holidaysUnknown).toBe(true);
    expect(first.holiday).toBeUndefined();
    expect(provider.contextFor(eventAt('2027-12-31T15:00:00Z')).holidaysUnknown).toBe(false);
  });
});

describe('Ramadan and the seasonal factor', () => {
  it('starts Ramadan 1447 on 19 February 2026 with the Ramadan uplift', () => {
    expect(provider.contextFor(eventAt('2026-02-18T10:00:00Z'))).toMatchObject({ ramadanSeason: false, culturalFactors: { seasonalFactor: 1 } });
    expect(provider.contextFor(eventAt('2026-02-19T10:00:00Z'))).toMatchObject({ ramadanSeason: true, culturalFactors: { seasonalFactor: 1.2 } });
  });

  it('uses the larger pre-Lebaran uplift in the last ten days, and none on Lebaran', () => {
    const day = (d: string) => provider.contextFor(eventAt(`${d}T03:00:00Z`)).culturalFactors;
    expect(day('2026-03-10')).toMatchObject({ seasonalFactor: 1.2, preLebaran: false, daysToLebaran: 11 });
    expect(day('2026-03-11')).toMatchObject({ seasonalFactor: 1.5, preLebaran: true, daysToLebaran: 10 });
    expect(day('2026-03-20')).toMatchObject({ seasonalFactor: 1.5, preLebaran: true, daysToLebaran: 1 });
    expect(day('2026-03-21')).toMatchObject({ seasonalFactor: 1, preLebaran: false, lebaran: true });
    expect(day('2026-03-22')).toMatchObject({ lebaran: true });
    expect(day('2026-03-23')).toMatchObject({ lebaran: false });
  });

  it('multiplies the configured month factor by the configured uplift', () => {
    const custom = createIndonesianContext({
      seasonalFactors: [1, 1.1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.3],
      ramadanUplift: 1.25,
      preLebaranUplift: 2,
      preLebaranDays: 3,
    }).provider;
    const factor = (t: string) => custom.contextFor(eventAt(t)).culturalFactors.seasonalFactor;
    expect(factor('2026-02-19T03:00:00Z')).toBe(1.375);
    expect(factor('2026-03-17T03:00:00Z')).toBe(1.25);
    expect(factor('2026-03-18T03:00:00Z')).toBe(2);
    expect(factor('2026-12-01T03:00:00Z')).toBe(1.3);
  });
});

describe('an event with an unreadable time', () => {
  it('is placed at the provider clock', () => {
    const { provider: p } = createIndonesianContext({}, { now: () => Date.parse('2026-03-02T03:00:00Z') });
    expect(p.contextFor(eventAt('not a time')).localTime).toBe('2026-03-02T10:00:00.000+07:00');
  });
});

describe('the timezone-only provider', () => {
  it('fills the zone and the hours window, and knows no holidays', () => {
    const p = createTimezoneOnlyProvider({ timezone: 'Asia/Makassar', businessHours: { start: '09:00', end: '17:00' } });
    const ctx = p.contextFor(eventAt('2026-08-17T03:00:00Z'));
    expect(ctx).toMatchObject({
      timezone: 'Asia/Makassar',
      geographicContext: { timeZone: 'WITA' },
      businessHours: true,
      ramadanSeason: false,
      holidaysUnknown: true,
      culturalFactors: { seasonalFactor: 1 },
      localTime: '2026-08-17T11:00:00.000+08:00',
    });
    expect(p.contextFor(eventAt('2026-08-17T09:00:00Z')).businessHours).toBe(false);
  });
});

describe('facts shared by the events of one place and day', () => {
  it('are built once, frozen, and differ only in the time of day', () => {
    const morning = provider.contextFor(eventAt('2026-03-02T01:00:00Z', inJayapura));
    const evening = provider.contextFor(eventAt('2026-03-02T12:00:00Z', inJayapura));
    expect(evening.culturalFactors).toBe(morning.culturalFactors);
    expect(evening.regionalContext).toBe(morning.regionalContext);
    expect(Object.isFrozen(morning.culturalFactors) && Object.isFrozen(morning.regionalContext) && Object.isFrozen(morning.geographicContext)).toBe(true);
    expect([morning.localTime, evening.localTime]).toEqual(['2026-03-02T10:00:00.000+09:00', '2026-03-02T21:00:00.000+09:00']);
    expect([morning.businessHours, evening.businessHours]).toEqual([true, false]);
  });

  it('are not shared across days or places', () => {
    const monday = provider.contextFor(eventAt('2026-03-02T03:00:00Z', inJayapura));
    const tuesday = provider.contextFor(eventAt('2026-03-03T03:00:00Z', inJayapura));
    const jakarta = provider.contextFor(eventAt('2026-03-02T03:00:00Z', { data: null }));
    expect(tuesday.regionalContext).not.toBe(monday.regionalContext);
    expect(tuesday.regionalContext).toMatchObject({ localDate: '2026-03-03' });
    expect(jakarta.regionalContext).not.toBe(monday.regionalContext);
  });

  it('take the time from the caller when it has it, instead of parsing the event', () => {
    const event = eventAt('2026-03-02T03:00:00Z', inJayapura);
    const at = Date.parse('2026-03-02T13:30:00Z');
    expect(provider.contextFor(event, at).localTime).toBe('2026-03-02T22:30:00.000+09:00');
  });
});
