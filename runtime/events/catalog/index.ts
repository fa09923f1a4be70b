import type { ZodType } from 'zod';
import type { AcceptedPayloadOf, PayloadOf } from '../versions.ts';
import { analyticsEvents } from './analytics.ts';
import { customerEvents } from './customers.ts';
import { inventoryEvents } from './inventory.ts';
import { orderEvents } from './orders.ts';

/** Every event type the runtime knows without a plugin: the seed's domain events. */
export const catalog = { ...inventoryEvents, ...orderEvents, ...customerEvents, ...analyticsEvents };

/** The payload of each catalog type (its newest version), as producers write it. */
export type CatalogPayloads = { [K in keyof typeof catalog]: PayloadOf<(typeof catalog)[K]> };

/** What `publish` accepts per catalog type: the newest payload or an older version's (upcast before sending). */
export type CatalogAcceptedPayloads = { [K in keyof typeof catalog]: AcceptedPayloadOf<(typeof catalog)[K]> };

/** Every schema of every catalog type, each version labelled `type@vN` (for checks over all of them). */
export function catalogSchemas(): [label: string, schema: ZodType][] {
  return Object.entries(catalog).flatMap(([type, versions]) => [
    ...versions.previous.map((p): [string, ZodType] => [`${type}@v${p.version}`, p.schema]),
    [`${type}@v${versions.version}`, versions.schema] as [string, ZodType],
  ]);
}
