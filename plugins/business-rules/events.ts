import { z } from 'zod';

/**
 * The events this plugin publishes (to `indonesian.business.events`). Registering their schemas
 * makes the types known to the runtime, so a consumer gets a checked payload. Objects stay open
 * (passthrough) so a later version can add fields without breaking consumers.
 */
export const EventTypes = {
  taxCalculated: 'indonesian.business.tax.calculated',
  slaComputed: 'indonesian.business.sla.computed',
  slaBreached: 'indonesian.business.sla.breached',
  ruleViolated: 'indonesian.business.rule.violated',
  demandFlagged: 'indonesian.business.demand.flagged',
} as const;

const rupiah = z.number().int().min(0);

const vatAmount = {
  statutoryRatePercent: z.number().int(),
  effectiveRatePercent: z.number(),
  dpp: rupiah,
  dppNilaiLain: z.boolean(),
  ppn: rupiah,
  legalBasis: z.string(),
};

const taxCalculated = z
  .object({
    orderId: z.string(),
    currency: z.literal('IDR'),
    taxDate: z.string(),
    taxDateSource: z.enum(['deliveryDate', 'orderedAt', 'eventTime']),
    computedFrom: z.enum(['items', 'totalAmount']),
    lines: z.array(
      z.object({ productId: z.string(), quantity: z.number().int(), unitPrice: rupiah, amount: rupiah, vatClass: z.string() }).passthrough(),
    ),
    groups: z.array(z.object({ vatClass: z.string(), amount: rupiah, ...vatAmount }).passthrough()),
    totalAmount: rupiah,
    totalPpn: rupiah,
    totalWithPpn: rupiah,
  })
  .passthrough();

const slaComputed = z
  .object({
    orderId: z.string(),
    sla: z.enum(['payment', 'shipping']),
    startedAt: z.string(),
    businessDays: z.number().int(),
    deadline: z.string(),
    timezone: z.string(),
    holidaysUnknown: z.boolean(),
  })
  .passthrough();

const slaBreached = slaComputed.extend({
  occurredAt: z.string(),
  lateByMs: z.number().int(),
  lateByBusinessDays: z.number().int(),
});

const ruleViolated = z
  .object({
    rule: z.string(),
    severity: z.enum(['warning', 'error']),
    productId: z.string(),
    category: z.string(),
    message: z.string(),
  })
  .passthrough();

const demandFlagged = z
  .object({
    productId: z.string(),
    sourceEventType: z.string(),
    sourceEventId: z.string(),
    localDate: z.string(),
    ramadan: z.boolean(),
    preLebaran: z.boolean(),
    lebaran: z.boolean(),
    ramadanApproaching: z.boolean(),
    daysToRamadan: z.number().int(),
    daysToLebaran: z.number().int(),
    seasonalFactor: z.number(),
    ramadanSensitive: z.boolean(),
    flagged: z.boolean(),
  })
  .passthrough();

export const emittedEventSchemas = {
  [EventTypes.taxCalculated]: taxCalculated,
  [EventTypes.slaComputed]: slaComputed,
  [EventTypes.slaBreached]: slaBreached,
  [EventTypes.ruleViolated]: ruleViolated,
  [EventTypes.demandFlagged]: demandFlagged,
};
