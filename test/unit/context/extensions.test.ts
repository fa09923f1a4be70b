import { describe, expect, it } from 'vitest';
import { createIndonesianContext, fromExtensions, toExtensions } from '../../../runtime/context/indonesia/index.ts';
import { eventAt } from './reference.ts';

const { provider } = createIndonesianContext();

describe('toExtensions', () => {
  it('flattens the context into the indo* extensions of the wire format', () => {
    const ctx = provider.contextFor(eventAt('2026-03-20T03:00:00Z'));
    expect(toExtensions(ctx)).toEqual({
      indotimezone: 'Asia/Jakarta',
      indozone: 'WIB',
      indobusinesshours: false,
      indoramadan: true,
      indoholiday: 'Cuti Bersama Idul Fitri 1447 Hijriah',
      indoseasonal: '1.5',
    });
  });

  it('leaves indoholiday out on an ordinary day', () => {
    const ext = toExtensions(provider.contextFor(eventAt('2026-06-02T03:00:00Z')));
    expect('indoholiday' in ext).toBe(false);
    expect(ext.indoseasonal).toBe('1.0');
  });

  it('keeps to the CloudEvents types: strings and booleans, never a float', () => {
    const ext = toExtensions(provider.contextFor(eventAt('2026-02-20T03:00:00Z')));
    for (const v of Object.values(ext)) expect(['string', 'boolean']).toContain(typeof v);
    expect(ext.indoseasonal).toBe('1.2');
  });

  it('writes a long product as a short decimal', () => {
    const ctx = provider.contextFor(eventAt('2026-03-02T03:00:00Z'));
    expect(toExtensions({ ...ctx, culturalFactors: { seasonalFactor: 1.2 * 1.5 } }).indoseasonal).toBe('1.8');
  });
});

describe('fromExtensions', () => {
  it('restores the nested fields that travel on the wire', () => {
    const ctx = provider.contextFor(eventAt('2026-03-20T03:00:00Z'));
    expect(fromExtensions({ ...toExtensions(ctx) })).toEqual({
      timezone: ctx.timezone,
      geographicContext: { timeZone: 'WIB' },
      businessHours: ctx.businessHours,
      ramadanSeason: ctx.ramadanSeason,
      holiday: { name: ctx.holiday!.name },
      culturalFactors: { seasonalFactor: 1.5 },
    });
  });

  it('accepts booleans a transport turned into strings', () => {
    expect(fromExtensions({ indotimezone: 'Asia/Jayapura', indobusinesshours: 'true', indoramadan: 'false', indoseasonal: '1.2' })).toMatchObject({
      geographicContext: { timeZone: 'WIT' },
      businessHours: true,
      ramadanSeason: false,
      culturalFactors: { seasonalFactor: 1.2 },
    });
  });

  it('is undefined for an event without Indonesian context', () => {
    expect(fromExtensions({ tenantid: 't1' })).toBeUndefined();
  });
});
