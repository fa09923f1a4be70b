/**
 * The Indonesian calendar for plugins and services (package export `stokcerdas/context`): the
 * same calendar the host resolves as `calendar`, to build one of your own (a worker thread, a
 * test, a script) or to type what `ctx.resolve('calendar')` returns.
 */
export {
  IndonesianCalendar,
  createIndonesianContext,
  decreeDataWarning,
  indonesianContextDefaults,
  parseIndonesianContextConfig,
  ZONE_TIMEZONES,
  indoZoneOf,
  shippedCalendarData,
  toExtensions,
  fromExtensions,
} from './indonesia/index.ts';
export type {
  CalendarOptions,
  DateInput,
  DayInfo,
  Holiday,
  HolidayKind,
  IndonesianContextConfig,
  IndonesianContextConfigInput,
  RamadanRange,
  ProvinceZone,
  IndoExtensions,
} from './indonesia/index.ts';
export type { BusinessContext, IndoZone, HolidayInfo } from '../events/types.ts';
