import { z } from 'zod';
import { StokcerdasError, ErrorCodes } from '../../errors.ts';
import { shippedCalendarData } from './data.ts';
import { isValidTimeZone } from './local-time.ts';
import { indoZoneOf, ProvinceDirectory } from './zones.ts';

/**
 * The `context` key of stokcerdas.config.ts. Every default of the Indonesian
 * context lives here; the schema applies them, the calendar and provider read the parsed result.
 */
export const indonesianContextDefaults = {
  timezone: 'Asia/Jakarta',
  businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
  /** cuti bersama is a day off for civil servants; private employers choose, so default closed */
  cutiBersamaIsBusinessDay: false,
  /**
   * Monthly demand multipliers, January first: Indonesian e-commerce peaks at 11.11 and 12.12 and
   * the year end, and July is the new school year. Ramadan moves through the months, so it is an
   * uplift of its own instead of a month.
   */
  seasonalFactors: [1, 1, 1, 1, 1, 1, 1.05, 1, 1, 1, 1.1, 1.2],
  ramadanUplift: 1.2,
  /** the last days before Lebaran (mudik, THR paid out): the year's largest demand peak */
  preLebaranUplift: 1.5,
  preLebaranDays: 10,
} as const;

const provinces = new ProvinceDirectory(shippedCalendarData.provinces);
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const hhmm = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'use HH:MM between 00:00 and 24:00, e.g. "09:00"');

const weekday = z.union([
  z.number().int().min(1).max(7),
  z.enum(WEEKDAYS).transform((d) => WEEKDAYS.indexOf(d) + 1),
]);

const provinceCode = z.string().transform((code, ctx) => {
  const p = provinces.get(code);
  if (!p) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown province "${code}": use an ISO 3166-2:ID code such as "ID-JK", "ID-BA" or "ID-PA"`,
    });
    return z.NEVER;
  }
  return p.code;
});

export const indonesianContextConfigSchema = z
  .object({
    timezone: z
      .string()
      .default(indonesianContextDefaults.timezone)
      .refine((tz) => isValidTimeZone(tz) && indoZoneOf(tz) !== undefined, {
        message: 'not an Indonesian time zone: use Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)',
      }),
    businessHours: z
      .object({
        start: hhmm.default(indonesianContextDefaults.businessHours.start),
        end: hhmm.default(indonesianContextDefaults.businessHours.end),
        /** ISO weekdays 1 = Monday … 7 = Sunday, or 'mon' … 'sun' */
        days: z
          .array(weekday)
          .min(1, 'at least one business day')
          .default([...indonesianContextDefaults.businessHours.days]),
      })
      .strict()
      .prefault({})
      .refine((b) => b.start < b.end, { message: 'businessHours.end must be after businessHours.start', path: ['end'] }),
    cutiBersamaIsBusinessDay: z.boolean().default(indonesianContextDefaults.cutiBersamaIsBusinessDay),
    /** tenant id → where the tenant trades, used when an event's data names no province */
    tenants: z.record(z.string(), z.object({ province: provinceCode }).strict()).default({}),
    seasonalFactors: z
      .array(z.number().positive())
      .length(12, 'twelve monthly factors, January first')
      .default([...indonesianContextDefaults.seasonalFactors]),
    ramadanUplift: z.number().positive().default(indonesianContextDefaults.ramadanUplift),
    preLebaranUplift: z.number().positive().default(indonesianContextDefaults.preLebaranUplift),
    /** days before Idul Fitri that get the pre-Lebaran uplift instead of the Ramadan one (≤ 29: inside Ramadan) */
    preLebaranDays: z.number().int().min(0).max(29).default(indonesianContextDefaults.preLebaranDays),
  })
  .strict();

export type IndonesianContextConfigInput = z.input<typeof indonesianContextConfigSchema>;
export type IndonesianContextConfig = z.output<typeof indonesianContextConfigSchema>;

/** Parses the `context` config; every problem is listed by path (`context.tenants.t1.province: …`). */
export function parseIndonesianContextConfig(input: unknown = {}): IndonesianContextConfig {
  const result = indonesianContextConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `context.${i.path.map(String).join('.')}: ${i.message}`);
  throw new StokcerdasError(
    ErrorCodes.CONFIG_INVALID,
    `stokcerdas.config.ts: invalid "context" settings:\n  ${problems.join('\n  ')}`,
    { problems },
  );
}
