import { analyticsEventClasses } from './analytics.ts';
import type { EventClass } from './base.ts';
import { customerEventClasses } from './customers.ts';
import { inventoryEventClasses } from './inventory.ts';
import { orderEventClasses } from './orders.ts';

export * from './base.ts';
export * from './inventory.ts';
export * from './orders.ts';
export * from './customers.ts';
export * from './analytics.ts';

/** The class a received event of each catalog type is rebuilt as. */
export const seedEventClasses: ReadonlyMap<string, EventClass> = new Map(
  [...inventoryEventClasses, ...orderEventClasses, ...customerEventClasses, ...analyticsEventClasses].map((c): [string, EventClass] => [c.eventType, c]),
);
