import type { BusinessContext } from 'stokcerdas';
import type { IndonesianCalendar } from 'stokcerdas/context';
import { inCategories, type BusinessRulesOptions } from './options.ts';

/**
 * Ramadan and Lebaran demand flags for inventory events, for the forecasting plugin: demand for
 * food, drinks, Muslim fashion and hampers climbs through Ramadan, peaks in the days before Lebaran
 * (mudik, THR paid out) and drops on Lebaran itself. Shops stock up before 1 Ramadan, hence the
 * look-ahead flag.
 */

export type DemandFlags = {
  /** the local date the flags are for */
  localDate: string;
  ramadan: boolean;
  /** inside the pre-Lebaran window of the context config */
  preLebaran: boolean;
  /** 1 or 2 Syawal */
  lebaran: boolean;
  /** 1 Ramadan is within `lookaheadDays` */
  ramadanApproaching: boolean;
  /** 0 during Ramadan */
  daysToRamadan: number;
  /** to the next 1 Syawal (the current Ramadan's during Ramadan) */
  daysToLebaran: number;
  hijriYear: number;
  /** the official table or the umalqura fallback */
  ramadanSource: string;
  seasonalFactor: number;
  /** the product's category moves with Ramadan demand */
  ramadanSensitive: boolean;
  /** any of ramadan, preLebaran, lebaran, ramadanApproaching */
  flagged: boolean;
};

export type DemandPolicy = BusinessRulesOptions['demand'];

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

export function demandFlags(
  calendar: IndonesianCalendar,
  localDate: string,
  context: Pick<BusinessContext, 'culturalFactors'>,
  category: unknown,
  policy: DemandPolicy,
): DemandFlags {
  const next = calendar.nextRamadan(localDate);
  const ramadan = localDate >= next.start && localDate <= next.end;
  const daysToRamadan = ramadan ? 0 : daysBetween(localDate, next.start);
  const ramadanApproaching = !ramadan && daysToRamadan <= policy.lookaheadDays;
  const preLebaran = context.culturalFactors.preLebaran === true;
  const lebaran = context.culturalFactors.lebaran === true;
  return {
    localDate,
    ramadan,
    preLebaran,
    lebaran,
    ramadanApproaching,
    daysToRamadan,
    daysToLebaran: daysBetween(localDate, next.idulFitri),
    hijriYear: next.hijriYear,
    ramadanSource: next.source,
    seasonalFactor: context.culturalFactors.seasonalFactor,
    ramadanSensitive: inCategories(category, policy.ramadanCategories),
    flagged: ramadan || preLebaran || lebaran || ramadanApproaching,
  };
}
