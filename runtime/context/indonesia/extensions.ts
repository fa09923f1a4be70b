import type { BusinessContext, IndoZone } from '../../events/types.ts';
import { formatFactor } from './seasonal.ts';
import { indoZoneOf } from './zones.ts';

/** The Indonesian context as flat CloudEvents extensions (docs/wire-format.md). */
export interface IndoExtensions {
  indotimezone: string;
  indozone: IndoZone;
  indobusinesshours: boolean;
  indoramadan: boolean;
  /** the holiday's Indonesian name; absent on ordinary days */
  indoholiday?: string;
  /** decimal string, e.g. "1.2": CloudEvents has no float type */
  indoseasonal: string;
}

export function toExtensions(ctx: BusinessContext): IndoExtensions {
  const ext: IndoExtensions = {
    indotimezone: ctx.timezone,
    indozone: ctx.geographicContext.timeZone,
    indobusinesshours: ctx.businessHours,
    indoramadan: ctx.ramadanSeason,
    indoseasonal: formatFactor(ctx.culturalFactors.seasonalFactor),
  };
  if (ctx.holiday) ext.indoholiday = ctx.holiday.name;
  return ext;
}

/**
 * The nested context back from the flat extensions of a received event, for events that were
 * enriched elsewhere. Lenient about transports that stringify booleans ("true"). Undefined when
 * the event carries no `indotimezone`. Province, region and the holiday's English name do not
 * travel on the wire, so they are not restored.
 */
export function fromExtensions(ext: Record<string, unknown>): BusinessContext | undefined {
  const tz = ext.indotimezone;
  if (typeof tz !== 'string' || tz === '') return undefined;
  const zone = isZone(ext.indozone) ? ext.indozone : (indoZoneOf(tz) ?? 'WIB');
  const factor = Number(ext.indoseasonal);
  const ctx: BusinessContext = {
    timezone: tz,
    geographicContext: { timeZone: zone },
    businessHours: bool(ext.indobusinesshours),
    ramadanSeason: bool(ext.indoramadan),
    culturalFactors: { seasonalFactor: Number.isFinite(factor) && ext.indoseasonal !== '' ? factor : 1 },
  };
  if (typeof ext.indoholiday === 'string' && ext.indoholiday !== '') ctx.holiday = { name: ext.indoholiday };
  return ctx;
}

function bool(v: unknown): boolean {
  return v === true || v === 'true';
}

function isZone(v: unknown): v is IndoZone {
  return v === 'WIB' || v === 'WITA' || v === 'WIT';
}
