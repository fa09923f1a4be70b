/**
 * Indonesian business context: the calendar plugins resolve as `calendar`, the context
 * provider the pipeline's `enrich` step calls, the wire mapping and the `context` config schema.
 */
import { IndonesianCalendar, type CalendarOptions } from './calendar.ts';
import { IndonesianContextProvider, type IndonesianContextProviderOptions } from './indonesian-context-provider.ts';

export { IndonesianCalendar, decreeDataWarning } from './calendar.ts';
export type { CalendarOptions, DateInput, DayInfo, Holiday, HolidayKind } from './calendar.ts';
export { IndonesianContextProvider } from './indonesian-context-provider.ts';
export type { IndonesianContextProviderOptions } from './indonesian-context-provider.ts';
export { toExtensions, fromExtensions } from './extensions.ts';
export type { IndoExtensions } from './extensions.ts';
export {
  indonesianContextConfigSchema,
  indonesianContextDefaults,
  parseIndonesianContextConfig,
} from './config.ts';
export type { IndonesianContextConfig, IndonesianContextConfigInput } from './config.ts';
export type { RamadanRange } from './ramadan.ts';
export { ZONE_TIMEZONES, indoZoneOf } from './zones.ts';
export type { ProvinceZone } from './zones.ts';
export { shippedCalendarData } from './data.ts';
export type { CalendarData, HolidayRow, RamadanRow, DecreeYear } from './data.ts';

/**
 * One calendar and the provider on top of it, from the `context` config key (raw or resolved).
 * The host registers `calendar` in the container and hands `provider` to the pipeline.
 */
export function createIndonesianContext(
  config: CalendarOptions['config'] = {},
  options: IndonesianContextProviderOptions & { data?: CalendarOptions['data'] } = {},
): { calendar: IndonesianCalendar; provider: IndonesianContextProvider } {
  const calendar = new IndonesianCalendar({ config, data: options.data });
  return { calendar, provider: new IndonesianContextProvider(calendar, { now: options.now }) };
}
