import { IANAZone } from 'luxon';
import type { IndoZone } from '../../events/types.ts';
import { isValidTimeZone } from './local-time.ts';

/** One row of data/provinces.json (field names as in the reference table). */
export interface ProvinceRow {
  code: string;
  kemendagri_code: string;
  name: string;
  name_en: string;
  tz: string;
  zone: IndoZone;
  zone_name_id: string;
  zone_name_en: string;
  utc_offset: string;
  region: string;
  iana_zone_specific?: string;
  note?: string;
}

/** What `zoneForProvince` answers. */
export interface ProvinceZone {
  /** ISO 3166-2:ID, e.g. `ID-BA` */
  code: string;
  name: string;
  nameEn: string;
  /** IANA zone, e.g. `Asia/Makassar` */
  timezone: string;
  zone: IndoZone;
  zoneName: string;
  zoneNameEn: string;
  utcOffset: string;
  /** island group, e.g. `Bali dan Nusa Tenggara` */
  region: string;
}

/** The canonical zone of each label: what a `zone` argument of `WITA` means. */
export const ZONE_TIMEZONES: Readonly<Record<IndoZone, string>> = {
  WIB: 'Asia/Jakarta',
  WITA: 'Asia/Makassar',
  WIT: 'Asia/Jayapura',
};

export const ZONE_NAMES: Readonly<Record<IndoZone, { id: string; en: string }>> = {
  WIB: { id: 'Waktu Indonesia Barat', en: 'Western Indonesia Time' },
  WITA: { id: 'Waktu Indonesia Tengah', en: 'Central Indonesia Time' },
  WIT: { id: 'Waktu Indonesia Timur', en: 'Eastern Indonesia Time' },
};

const LABEL_OF_OFFSET: Record<number, IndoZone> = { 420: 'WIB', 480: 'WITA', 540: 'WIT' };
const KNOWN_LABELS: Record<string, IndoZone> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/**
 * WIB/WITA/WIT for an IANA zone: the four Indonesian zones by name, any other zone by its current
 * offset (+7/+8/+9); undefined when the zone is not on Indonesian time at all.
 */
export function indoZoneOf(tz: string): IndoZone | undefined {
  const known = KNOWN_LABELS[tz];
  if (known) return known;
  if (!isValidTimeZone(tz)) return undefined;
  return LABEL_OF_OFFSET[IANAZone.create(tz).offset(Date.now())];
}

/** `WITA` → `Asia/Makassar`; an IANA name is returned as it is. */
export function timezoneOf(zoneOrLabel: string): string {
  return (ZONE_TIMEZONES as Record<string, string>)[zoneOrLabel] ?? zoneOrLabel;
}

/** Case and spacing do not matter; `ba`, `ID-BA`, `Bali` and `id_ba` all find Bali. */
function keyOf(s: string): string {
  return s.trim().toUpperCase().replace(/[\s_]+/g, ' ');
}

/** The 38 provinces, looked up by ISO code (with or without `ID-`), Kemendagri code or name. */
export class ProvinceDirectory {
  private readonly byKey = new Map<string, ProvinceZone>();
  /** raw strings already seen: the provider looks up the same few codes on every event */
  private readonly seen = new Map<string, ProvinceZone | null>();
  private readonly rows: readonly ProvinceZone[];

  constructor(rows: readonly ProvinceRow[]) {
    this.rows = rows.map((r) =>
      Object.freeze({
        code: r.code,
        name: r.name,
        nameEn: r.name_en,
        timezone: r.tz,
        zone: r.zone,
        zoneName: r.zone_name_id,
        zoneNameEn: r.zone_name_en,
        utcOffset: r.utc_offset,
        region: r.region,
      }),
    );
    rows.forEach((r, i) => {
      const p = this.rows[i];
      for (const k of [r.code, r.code.slice(3), r.code.replace('-', '_'), r.kemendagri_code, r.name, r.name_en]) {
        this.byKey.set(keyOf(k), p);
      }
    });
  }

  get(codeOrName: string): ProvinceZone | undefined {
    const hit = this.seen.get(codeOrName);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.byKey.get(keyOf(codeOrName));
    if (this.seen.size < 10_000) this.seen.set(codeOrName, found ?? null);
    return found;
  }

  all(): readonly ProvinceZone[] {
    return this.rows;
  }
}
