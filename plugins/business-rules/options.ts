import { z } from 'zod';

/**
 * `plugins.options['business-rules']` in stokcerdas.config.ts. Every rule can be switched off and
 * every threshold lives here, validated when the host starts (a bad value stops the plugin with
 * its path, not the first order).
 */
const categoryList = z.array(z.string().trim().min(1)).transform((cs) => cs.map((c) => c.toLowerCase()));

export const businessRulesOptionsSchema = z
  .object({
    vat: z
      .object({
        enabled: z.boolean().default(true),
        /** item categories taxed as luxury (PPnBM) goods; an item can also say `luxury: true` */
        luxuryCategories: categoryList.default([]),
        /** item categories outside PPN (exempt or not collected): reported, charged nothing */
        exemptCategories: categoryList.default([]),
      })
      .strict()
      .prefault({}),
    sla: z
      .object({
        enabled: z.boolean().default(true),
        /** order created → paid within this many business days */
        paymentBusinessDays: z.number().int().min(1).max(60).default(1),
        /** order paid → shipped within this many business days */
        shippingBusinessDays: z.number().int().min(1).max(60).default(2),
        /** `close`: at closing time of the last business day; `same-time`: at the start's time of day */
        deadlineAt: z.enum(['close', 'same-time']).default('close'),
      })
      .strict()
      .prefault({}),
    halal: z
      .object({
        enabled: z.boolean().default(true),
        /** categories that need a halal certificate (UU 33/2014); a sub-category `food/snacks` counts */
        categories: categoryList.default(['food', 'beverage', 'food-and-beverage', 'makanan', 'minuman']),
        severity: z.enum(['warning', 'error']).default('error'),
      })
      .strict()
      .prefault({}),
    demand: z
      .object({
        enabled: z.boolean().default(true),
        /** flag `ramadanApproaching` this many days before 1 Ramadan (time to stock up) */
        lookaheadDays: z.number().int().min(0).max(180).default(30),
        /** categories whose demand moves with Ramadan and Lebaran */
        ramadanCategories: categoryList.default([
          'food',
          'beverage',
          'food-and-beverage',
          'makanan',
          'minuman',
          'fashion',
          'muslim-fashion',
          'hampers',
          'gifts',
        ]),
        /** publish for every inventory event, not only those with a flag set */
        emitWhenNoFlags: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type BusinessRulesOptions = z.output<typeof businessRulesOptionsSchema>;
export type BusinessRulesOptionsInput = z.input<typeof businessRulesOptionsSchema>;

/** True when `category` is one of `list` or below one of them (`food/snacks` under `food`). */
export function inCategories(category: unknown, list: readonly string[]): boolean {
  if (typeof category !== 'string') return false;
  const c = category.trim().toLowerCase();
  return list.some((entry) => c === entry || c.startsWith(`${entry}/`));
}
