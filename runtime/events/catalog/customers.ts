import { z } from 'zod';
import { EventVersions } from '../versions.ts';
import { baseContext, compact, customerData, id, locationData, rest, rupiah, timestamp } from './parts.ts';

/**
 * Customer events: registration, interactions and analytics, in the seed's style
 * (`customerData`, `interactionData`, `analyticsData`). Version 1 of registration and update is
 * the flat payload accepted before.
 */

const customerV1 = z.object({
  customerId: id,
  name: z.string().optional(),
  segment: z.string().optional(),
  locationData: z.object({ province: z.string().regex(/^ID-[A-Z]{2}$/).optional(), city: z.string().optional() }).optional(),
  ...baseContext,
});

const customerV2 = z.object({
  customerData: customerData.extend({ registeredAt: timestamp.optional() }),
  locationData: locationData.optional(),
});

const customer = () =>
  EventVersions.of(customerV1).next(customerV2, (v1) =>
    compact({
      ...rest(v1, ['customerId', 'name', 'segment', 'locationData']),
      customerData: compact({ id: v1.customerId, name: v1.name, segment: v1.segment }),
      // version 1 had no location id: the customer's own id stands in for it
      locationData: v1.locationData ? compact({ ...v1.locationData, id: v1.customerId }) : undefined,
    }),
  );

const interaction = z.object({
  customerData,
  interactionData: z.object({
    type: z.enum(['visit', 'inquiry', 'complaint', 'review', 'purchase', 'support']),
    channel: z.string().optional().describe('whatsapp, web, store, marketplace chat, …'),
    occurredAt: timestamp.optional(),
    orderId: z.string().optional(),
    rating: z.number().int().min(1).max(5).optional(),
    notes: z.string().optional(),
  }),
  locationData: locationData.optional(),
});

const analytics = z.object({
  customerData,
  analyticsData: z.object({
    lifetimeValue: rupiah.optional(),
    orderCount: z.number().int().min(0).optional(),
    averageOrderValue: rupiah.optional(),
    lastOrderAt: timestamp.optional(),
    churnRisk: z.number().min(0).max(1).optional().describe('0–1'),
    segment: z.string().optional(),
  }),
});

export const customerEvents = {
  'customers.customer.created': customer(),
  'customers.customer.updated': customer(),
  'customers.interaction.recorded': EventVersions.of(interaction),
  'customers.analytics.updated': EventVersions.of(analytics),
};
