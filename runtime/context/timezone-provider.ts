import { defaults } from '../../config/defaults.ts';
import type { BusinessContext, CloudEventWire } from '../events/types.ts';
import type { ContextProvider } from './provider.ts';
import { minutesOfHHMM, weekdayOfDayNumber, zoneClock } from './indonesia/local-time.ts';
import { indoZoneOf } from './indonesia/zones.ts';

export interface TimezoneOnlyConfig {
  timezone?: string;
  businessHours?: { start?: string; end?: string; days?: readonly number[] };
}

/**
 * The minimal provider: time zone, local time and the business-hours window from config alone.
 * It knows no holidays and no Ramadan, and says so (`holidaysUnknown: true`) instead of claiming
 * every day is ordinary. A zone off Indonesian time is labelled WIB (the wire needs a label).
 */
export function createTimezoneOnlyProvider(config: TimezoneOnlyConfig = {}): ContextProvider {
  const d = defaults.context;
  const clock = zoneClock(config.timezone ?? d.timezone);
  const zone = indoZoneOf(clock.tz) ?? 'WIB';
  const open = minutesOfHHMM(config.businessHours?.start ?? d.businessHours.start);
  const close = minutesOfHHMM(config.businessHours?.end ?? d.businessHours.end);
  const days = new Set(config.businessHours?.days ?? d.businessHours.days);
  return {
    contextFor(event: CloudEventWire, atMs?: number): BusinessContext {
      let ts = atMs ?? Date.parse(event.time);
      if (Number.isNaN(ts)) ts = Date.now();
      const local = clock.local(ts);
      return {
        timezone: clock.tz,
        geographicContext: { timeZone: zone },
        businessHours: days.has(weekdayOfDayNumber(local.dn)) && local.minuteOfDay >= open && local.minuteOfDay < close,
        ramadanSeason: false,
        holidaysUnknown: true,
        culturalFactors: { seasonalFactor: 1 },
        localTime: clock.format(ts),
      };
    },
  };
}
