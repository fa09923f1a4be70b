import { DateTime } from 'luxon';

/**
 * Money and dates as a merchant reads them. Rupiah are whole numbers (the seed's schemas say
 * integer rupiah), so the grouping is done on the digit string: no float ever touches an amount,
 * and amounts past 2^53 (BigInt) format the same way.
 */

export type Language = 'id' | 'en';

/** `Rp1.250.000` in Bahasa Indonesia, `IDR 1,250,000` in English; negative amounts lead with `-`. */
export function formatRupiah(amount: number | bigint, language: Language = 'id'): string {
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) {
    throw new RangeError(`formatRupiah: ${amount} is not a whole number of rupiah`);
  }
  const value = BigInt(amount);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  const separator = language === 'id' ? '.' : ',';
  let grouped = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const start = Math.max(0, end - 3);
    grouped = grouped ? `${digits.slice(start, end)}${separator}${grouped}` : digits.slice(start, end);
  }
  const sign = negative ? '-' : '';
  return language === 'id' ? `${sign}Rp${grouped}` : `${sign}IDR ${grouped}`;
}

const MONTHS: Record<Language, string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
const WEEKDAYS: Record<Language, string[]> = {
  id: ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

/** Indonesia's three zones by their own names; Pontianak keeps WIB (Permen 1987). */
const ZONE_LABELS: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Ujung_Pandang': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/** WIB, WITA or WIT for Indonesian zones; `UTC+8` style elsewhere. */
export function zoneLabel(dt: DateTime): string {
  return ZONE_LABELS[dt.zoneName ?? ''] ?? `UTC${dt.toFormat('Z') === '+0' ? '' : dt.toFormat('Z')}`;
}

function toLocal(instant: string | number | Date, zone: string): DateTime {
  const dt =
    typeof instant === 'string'
      ? DateTime.fromISO(instant, { zone })
      : DateTime.fromMillis(instant instanceof Date ? instant.getTime() : instant, { zone });
  if (!dt.isValid) throw new RangeError(`not a date: ${String(instant)} in ${zone} (${dt.invalidExplanation ?? dt.invalidReason})`);
  return dt;
}

/**
 * `Senin, 5 Januari 2026 pukul 10.00 WIB` (Indonesian writes the time with a dot, per PUEBI) or
 * `Monday 5 January 2026 at 10:00 WIB`, in the recipient's zone.
 */
export function formatDateTime(instant: string | number | Date, zone: string, language: Language = 'id'): string {
  const dt = toLocal(instant, zone);
  const weekday = WEEKDAYS[language][dt.weekday - 1];
  const date = `${dt.day} ${MONTHS[language][dt.month - 1]} ${dt.year}`;
  const hh = String(dt.hour).padStart(2, '0');
  const mm = String(dt.minute).padStart(2, '0');
  return language === 'id'
    ? `${weekday}, ${date} pukul ${hh}.${mm} ${zoneLabel(dt)}`
    : `${weekday} ${date} at ${hh}:${mm} ${zoneLabel(dt)}`;
}

/** `5 Januari 2026` / `5 January 2026` in the recipient's zone. */
export function formatDate(instant: string | number | Date, zone: string, language: Language = 'id'): string {
  const dt = toLocal(instant, zone);
  return `${dt.day} ${MONTHS[language][dt.month - 1]} ${dt.year}`;
}

/** `2 jam 5 menit` / `2 h 5 min`: how late something was, to the minute (at least one minute). */
export function formatDuration(ms: number, language: Language = 'id'): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const units = language === 'id' ? ['hari', 'jam', 'menit'] : ['d', 'h', 'min'];
  const parts: string[] = [];
  if (days) parts.push(`${days} ${units[0]}`);
  if (hours) parts.push(`${hours} ${units[1]}`);
  if (mins && !days) parts.push(`${mins} ${units[2]}`);
  return parts.join(' ');
}
