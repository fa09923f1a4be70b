import type { z } from 'zod';
import { contextSettingsSchema } from '../../../config/context.ts';
import { defaults } from '../../../config/defaults.ts';
import { StokcerdasError, ErrorCodes } from '../../errors.ts';
import { shippedCalendarData } from './data.ts';
import { isValidTimeZone } from './local-time.ts';
import { indoZoneOf, ProvinceDirectory } from './zones.ts';

/**
 * The `context` key of stokcerdas.config.ts as the calendar reads it: the shape and defaults of
 * config/context.ts, plus what only the calendar knows (which zones are Indonesian, which provinces
 * exist, and the canonical code of each).
 */
export const indonesianContextDefaults = defaults.context;

const provinces = new ProvinceDirectory(shippedCalendarData.provinces);

export const indonesianContextConfigSchema = contextSettingsSchema({
  timezone: (tz) => isValidTimeZone(tz) && indoZoneOf(tz) !== undefined,
  province: (code) => provinces.get(code)?.code,
});

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
