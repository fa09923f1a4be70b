import type { BusinessContext, CloudEventWire, HolidayInfo, IndoZone } from '../../events/types.ts';
import type { ContextProvider } from '../provider.ts';
import { parseTime } from '../../events/time.ts';
import { IndonesianCalendar, decreeDataWarning, type DayInfo } from './calendar.ts';
import { zoneClock, type ZoneClock } from './local-time.ts';
import { indoZoneOf, ZONE_NAMES, type ProvinceZone } from './zones.ts';

/** Where an event happens: resolved once per province / tenant and reused for every event. */
interface Place {
  clock: ZoneClock;
  zone: IndoZone;
  province?: ProvinceZone;
  source: 'location' | 'tenant' | 'default';
  geographicContext: BusinessContext['geographicContext'];
  /** what is the same for every event of one local day here, by day number */
  days: Map<number, DayFacts>;
}

/** Shared (frozen) by every event of one place and local day: only the time of day differs. */
interface DayFacts {
  day: DayInfo;
  culturalFactors: BusinessContext['culturalFactors'];
  regionalContext: NonNullable<BusinessContext['regionalContext']>;
  holiday?: HolidayInfo;
}

const MAX_CACHED_DAYS_PER_PLACE = 1_000;

export interface IndonesianContextProviderOptions {
  /** used when an event's `time` is missing or unreadable; default Date.now */
  now?: () => number;
}

/**
 * Business context for an event's own `time`: the zone comes from the province in
 * `data.locationData.province`, else the tenant's province in `context.tenants`, else the
 * configured timezone. Runs twice per event (publish and delivery), so everything that depends
 * only on the place and the local day is built once and shared, frozen, by the day's events.
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
    this.defaultPlace = place(zoneClock(tz), indoZoneOf(tz) ?? 'WIB', 'default');
    for (const p of calendar.provinces.all()) {
      this.provincePlaces.set(p.code, place(zoneClock(p.timezone), p.zone, 'location', p));
    }
    for (const [tenant, { province }] of Object.entries(calendar.config.tenants)) {
      const p = calendar.provinces.get(province);
      if (p) this.tenantPlaces.set(tenant, place(zoneClock(p.timezone), p.zone, 'tenant', p));
    }
  }

  /** `atMs`: the event's time as epoch ms when the caller already has it (the publisher does) */
  /** the warning the host logs at start when the decree data runs out within 90 days */
  startupWarning(nowMs: number): string | undefined {
    return decreeDataWarning(this.calendar, nowMs);
  }

  contextFor(event: CloudEventWire, atMs?: number): BusinessContext {
    let ts = atMs ?? (typeof event.time === 'string' ? parseTime(event.time) : Number.NaN);
    if (Number.isNaN(ts)) ts = this.now();
    const place = this.placeOf(event);
    const local = place.clock.local(ts);
    const facts = this.factsFor(place, local.dn);
    const ctx: BusinessContext = {
      timezone: place.clock.tz,
      geographicContext: place.geographicContext,
      businessHours: facts.day.businessDay && local.minuteOfDay >= this.calendar.openMinute && local.minuteOfDay < this.calendar.closeMinute,
      ramadanSeason: facts.day.ramadan,
      holidaysUnknown: !facts.day.holidaysKnown,
      culturalFactors: facts.culturalFactors,
      regionalContext: facts.regionalContext,
      localTime: place.clock.format(ts),
    };
    if (facts.holiday) ctx.holiday = facts.holiday;
    return ctx;
  }

  private factsFor(place: Place, dn: number): DayFacts {
    let facts = place.days.get(dn);
    if (facts) return facts;
    const day = this.calendar.day(dn);
    const p = place.province;
    facts = {
      day,
      culturalFactors: Object.freeze({
        seasonalFactor: day.seasonalFactor,
        preLebaran: day.preLebaran,
        lebaran: day.lebaran,
        ...(day.daysToLebaran !== undefined ? { daysToLebaran: day.daysToLebaran } : {}),
      }),
      regionalContext: Object.freeze({
        source: place.source,
        localDate: day.date,
        zoneName: ZONE_NAMES[place.zone].id,
        businessDay: day.businessDay,
        ...(p ? { provinceName: p.name, provinceNameEn: p.nameEn, utcOffset: p.utcOffset } : {}),
      }),
    };
    if (day.holiday) facts.holiday = Object.freeze({ name: day.holiday.name, nameEn: day.holiday.nameEn, kind: day.holiday.kind });
    if (place.days.size >= MAX_CACHED_DAYS_PER_PLACE) place.days.clear();
    place.days.set(dn, facts);
    return facts;
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

function place(clock: ZoneClock, zone: IndoZone, source: Place['source'], province?: ProvinceZone): Place {
  const geographicContext = Object.freeze(province ? { timeZone: zone, province: province.code, region: province.region } : { timeZone: zone });
  return { clock, zone, province, source, geographicContext, days: new Map() };
}
