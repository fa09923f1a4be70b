import { z } from 'zod';
import { defaults } from './defaults.ts';

/**
 * The shape of the `context` settings, with their defaults. What the values mean (which time
 * zones are Indonesian, which provinces exist) is known to the calendar in runtime/context, not
 * here: config/ sits below the runtime and imports nothing from it. The calendar passes its
 * knowledge in as `checks`, so its schema reports every problem, shape and meaning, in one list.
 */
export interface ContextChecks {
  /** whether a time zone is accepted as the default zone */
  timezone?(tz: string): boolean;
  /** the canonical province code for what a config wrote (`ba`, `Bali`, `ID-BA`), undefined when unknown */
  province?(codeOrName: string): string | undefined;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const d = defaults.context;

const hhmm = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'use HH:MM between 00:00 and 24:00, e.g. "09:00"');

const weekday = z.union([
  z.number().int().min(1).max(7),
  z.enum(WEEKDAYS).transform((day) => WEEKDAYS.indexOf(day) + 1),
]);

export function contextSettingsSchema(checks: ContextChecks = {}) {
  const provinceCode = z.string().min(1).transform((code, ctx) => {
    if (!checks.province) return code;
    const canonical = checks.province(code);
    if (canonical === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown province "${code}": use an ISO 3166-2:ID code such as "ID-JK", "ID-BA" or "ID-PA"`,
      });
      return z.NEVER;
    }
    return canonical;
  });
  return z
    .object({
      timezone: z
        .string()
        .default(d.timezone)
        .refine((tz) => checks.timezone?.(tz) ?? true, {
          message: 'not an Indonesian time zone: use Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)',
        }),
      businessHours: z
        .object({
          start: hhmm.default(d.businessHours.start),
          end: hhmm.default(d.businessHours.end),
          /** ISO weekdays 1 = Monday … 7 = Sunday, or 'mon' … 'sun' */
          days: z
            .array(weekday)
            .min(1, 'at least one business day')
            .default([...d.businessHours.days]),
        })
        .strict()
        .prefault({})
        .refine((b) => b.start < b.end, { message: 'businessHours.end must be after businessHours.start', path: ['end'] }),
      cutiBersamaIsBusinessDay: z.boolean().default(d.cutiBersamaIsBusinessDay),
      /** tenant id → where the tenant trades, used when an event's data names no province */
      tenants: z.record(z.string(), z.object({ province: provinceCode }).strict()).default({}),
      seasonalFactors: z
        .array(z.number().positive())
        .length(12, 'twelve monthly factors, January first')
        .default([...d.seasonalFactors]),
      ramadanUplift: z.number().positive().default(d.ramadanUplift),
      preLebaranUplift: z.number().positive().default(d.preLebaranUplift),
      /** days before Idul Fitri that get the pre-Lebaran uplift instead of the Ramadan one (≤ 29: inside Ramadan) */
      preLebaranDays: z.number().int().min(0).max(29).default(d.preLebaranDays),
    })
    .strict();
}

export type ContextSettingsInput = z.input<ReturnType<typeof contextSettingsSchema>>;
export type ContextSettings = z.output<ReturnType<typeof contextSettingsSchema>>;
