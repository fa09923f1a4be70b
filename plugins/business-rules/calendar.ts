import type { DateTime } from 'luxon';

/**
 * What the rules need from the `calendar` service (the runtime's IndonesianCalendar, resolved from
 * the container). Declared here so the plugin depends on a shape, not on runtime internals, and a
 * test can pass the real calendar or a stub.
 */
export interface BusinessCalendar {
  /** minutes after local midnight business closes (17:00 → 1020) */
  readonly closeMinute: number;
  addBusinessDays(date: string | Date | DateTime, n: number, zone?: string): DateTime;
  businessDaysBetween(a: string | Date | DateTime, b: string | Date | DateTime, zone?: string): number;
  holidaysKnown(year: number): boolean;
  nextRamadan(date: string | Date | DateTime, zone?: string): { hijriYear: number; start: string; end: string; idulFitri: string; source: string };
}
