import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../runtime/errors.ts';
import {
  IndonesianCalendar,
  indonesianContextConfigSchema,
  indonesianContextDefaults,
  parseIndonesianContextConfig,
} from '../../../runtime/context/indonesia/index.ts';

function problemsOf(input: unknown): string[] {
  try {
    parseIndonesianContextConfig(input);
  } catch (err) {
    expect(err).toMatchObject({ code: ErrorCodes.CONFIG_INVALID });
    return (err as { details: { problems: string[] } }).details.problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('the context config', () => {
  it('defaults to Jakarta, 09:00–17:00 Monday to Friday, cuti bersama closed', () => {
    expect(indonesianContextConfigSchema.parse({})).toEqual({
      ...indonesianContextDefaults,
      businessHours: { ...indonesianContextDefaults.businessHours, days: [1, 2, 3, 4, 5] },
      seasonalFactors: [...indonesianContextDefaults.seasonalFactors],
      tenants: {},
    });
  });

  it('accepts weekday names and normalises province codes', () => {
    const cfg = parseIndonesianContextConfig({ businessHours: { days: ['mon', 'sat', 7] }, tenants: { t1: { province: 'ba' } } });
    expect(cfg.businessHours.days).toEqual([1, 6, 7]);
    expect(cfg.tenants.t1.province).toBe('ID-BA');
  });

  it('parses its own output again unchanged (the host may pass the resolved config)', () => {
    const cfg = parseIndonesianContextConfig({ timezone: 'Asia/Makassar', tenants: { t1: { province: 'ID-PA' } } });
    expect(parseIndonesianContextConfig(cfg)).toEqual(cfg);
  });

  it('lists every problem by path', () => {
    const problems = problemsOf({
      timezone: 'Europe/Berlin',
      businessHours: { start: '17:00', end: '09:00' },
      tenants: { t1: { province: 'ID-XX' } },
      seasonalFactors: [1, 1],
      preLebaranDays: 40,
      typo: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^context\.timezone: not an Indonesian time zone/),
        expect.stringMatching(/^context\.businessHours\.end: /),
        expect.stringMatching(/^context\.tenants\.t1\.province: unknown province "ID-XX"/),
        expect.stringMatching(/^context\.seasonalFactors: /),
        expect.stringMatching(/^context\.preLebaranDays: /),
        expect.stringMatching(/typo/),
      ]),
    );
  });

  it('rejects a bad clock time', () => {
    expect(problemsOf({ businessHours: { start: '9:00' } })[0]).toMatch(/^context\.businessHours\.start: use HH:MM/);
  });

  it('is what the calendar is built from', () => {
    expect(() => new IndonesianCalendar({ config: { timezone: 'Mars/Olympus' } })).toThrow(/context\.timezone/);
  });
});
