import type { BusinessContext, CloudEventWire, IndoZone } from '../../events/types.ts';
import type { ContextProvider } from '../provider.ts';
import { IndonesianCalendar } from './calendar.ts';
import { zoneClock, type ZoneClock } from './local-time.ts';
import { indoZoneOf, ZONE_NAMES, type ProvinceZone } from './zones.ts';

/** Where an event happens: resolved once per province / tenant and reused for every event. */
interface Place {
  clock: ZoneClock;
  zone: IndoZone;
  province?: ProvinceZone;
  source: 'location' | 'tenant' | 'default';
}

export interface IndonesianContextProviderOptions {
  /** used when an event's `time` is missing or unreadable; default Date.now */
  now?: () => number;
}

/**
 * Business context for an event's own `time` (issue 5): the zone comes from the province in
 * `data.locationData.province`, else the tenant's province in `context.tenants`, else the
 * configured timezone. Runs on every delivery: per event it parses the time, looks the zone's
 * offset up in a per-hour cache and the day in a per-day cache, and builds one plain object.
 */
export class IndonesianContextProvider implements ContextProvider {
  readonly calendar: IndonesianCalendar;
  private readonly now: () => number;
  private readonly defaultPlace: Place;
  private readonly provincePlaces = new Map<string, Place>();
  private readonly tenantPlaces = new Map<string, Place>();

  constructor(calendar: IndonesianCalendar, options: IndonesianContextProviderOptions = {}) {
    this.calendar = calendar;
    this.now = options.now ?? Date.now;
    const tz = calendar.config.timezone;
    this.defaultPlace = { clock: zoneClock(tz), zone: indoZoneOf(tz) ?? 'WIB', source: 'default' };
    for (const p of calendar.provinces.all()) {
      this.provincePlaces.set(p.code, { clock: zoneClock(p.timezone), zone: p.zone, province: p, source: 'location' });
    }
    for (const [tenant, { province }] of Object.entries(calendar.config.tenants)) {
      const p = calendar.provinces.get(province);
      if (p) this.tenantPlaces.set(tenant, { ...this.provincePlaces.get(p.code)!, source: 'tenant' });
    }
  }

  contextFor(event: CloudEventWire): BusinessContext {
    let ts = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
    if (Number.isNaN(ts)) ts = this.now();
    const place = this.placeOf(event);
    const local = place.clock.local(ts);
    const day = this.calendar.day(local.dn);
    const open =
      day.businessDay && local.minuteOfDay >= this.calendar.openMinute && local.minuteOfDay < this.calendar.closeMinute;
    const p = place.province;
    const ctx: BusinessContext = {
      timezone: place.clock.tz,
      geographicContext: p
        ? { timeZone: place.zone, province: p.code, region: p.region }
        : { timeZone: place.zone },
      businessHours: open,
      ramadanSeason: day.ramadan,
      holidaysUnknown: !day.holidaysKnown,
      culturalFactors: {
        seasonalFactor: day.seasonalFactor,
        preLebaran: day.preLebaran,
        lebaran: day.lebaran,
        ...(day.daysToLebaran !== undefined ? { daysToLebaran: day.daysToLebaran } : {}),
      },
      regionalContext: {
        source: place.source,
        localDate: day.date,
        zoneName: ZONE_NAMES[place.zone].id,
        businessDay: day.businessDay,
        ...(p ? { provinceName: p.name, provinceNameEn: p.nameEn, utcOffset: p.utcOffset } : {}),
      },
      localTime: place.clock.format(ts),
    };
    if (day.holiday) ctx.holiday = { name: day.holiday.name, nameEn: day.holiday.nameEn, kind: day.holiday.kind };
    return ctx;
  }

  private placeOf(event: CloudEventWire): Place {
    const data = event.data as { locationData?: { province?: unknown } } | null | undefined;
    const code = data && typeof data === 'object' ? data.locationData?.province : undefined;
    if (typeof code === 'string') {
      const p = this.calendar.provinces.get(code);
      if (p) return this.provincePlaces.get(p.code)!;
    }
    if (typeof event.tenantid === 'string') {
      const t = this.tenantPlaces.get(event.tenantid);
      if (t) return t;
    }
    return this.defaultPlace;
  }
}
