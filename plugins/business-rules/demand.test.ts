import { describe, expect, it } from 'vitest';
import { createIndonesianContext } from 'stokcerdas/context';
import { demandFlags } from './demand.ts';
import { businessRulesOptionsSchema } from './options.ts';

const { calendar, provider } = createIndonesianContext();
const policy = businessRulesOptionsSchema.parse({}).demand;

function flagsOn(date: string, category: unknown = 'food') {
  const ctx = provider.contextFor({
    specversion: '1.0', id: 'e', source: 's', type: 'inventory.stock.low', time: `${date}T05:00:00Z`,
    datacontenttype: 'application/json', data: {},
  });
  return demandFlags(calendar, ctx.localTime!.slice(0, 10), ctx, category, policy);
}

describe('Ramadan and Lebaran demand flags', () => {
  it('raises nothing six weeks before Ramadan', () => {
    expect(flagsOn('2026-01-08')).toMatchObject({ flagged: false, ramadan: false, ramadanApproaching: false, daysToRamadan: 42 });
  });

  it('flags Ramadan approaching within the look-ahead (30 days)', () => {
    expect(flagsOn('2026-01-20')).toMatchObject({ flagged: true, ramadanApproaching: true, daysToRamadan: 30, daysToLebaran: 60, hijriYear: 1447 });
    expect(flagsOn('2026-01-19')).toMatchObject({ flagged: false, daysToRamadan: 31 });
  });

  it('flags Ramadan from its official first day, 19 February 2026', () => {
    expect(flagsOn('2026-02-18')).toMatchObject({ ramadan: false, ramadanApproaching: true, daysToRamadan: 1 });
    expect(flagsOn('2026-02-19')).toMatchObject({ ramadan: true, ramadanApproaching: false, daysToRamadan: 0, seasonalFactor: 1.2 });
  });

  it('flags the pre-Lebaran peak and Lebaran itself', () => {
    expect(flagsOn('2026-03-15')).toMatchObject({ ramadan: true, preLebaran: true, daysToLebaran: 6, seasonalFactor: 1.5 });
    expect(flagsOn('2026-03-21')).toMatchObject({ ramadan: false, lebaran: true, flagged: true, hijriYear: 1448, daysToLebaran: 354 });
  });

  it('says whether the product moves with Ramadan demand', () => {
    expect(flagsOn('2026-03-15', 'Muslim-Fashion').ramadanSensitive).toBe(true);
    expect(flagsOn('2026-03-15', 'electronics').ramadanSensitive).toBe(false);
    expect(flagsOn('2026-03-15', null).ramadanSensitive).toBe(false);
  });

  it('uses the umalqura fallback after the official table, and says so', () => {
    expect(flagsOn('2028-12-30')).toMatchObject({ ramadanApproaching: true, hijriYear: 1450, ramadanSource: 'umalqura' });
  });
});
