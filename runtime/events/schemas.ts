import { z, type ZodType } from 'zod';
import { compileCheck, type FastCheck } from './fast-check.ts';

/**
 * Payload schemas for the seed's domain events. A type with a schema is "known": a plain JSON body
 * published with that routing key is wrapped as a CloudEvent, and a payload that fails the schema
 * is poison. Objects are open (`passthrough`) so producers can add fields without breaking consumers.
 */
const id = z.string().min(1);
const rupiah = z.number().int().describe('integer rupiah');
const qty = z.number().int();

export const locationDataSchema = z
  .object({
    province: z.string().regex(/^ID-[A-Z]{2}$/, 'an ISO 3166-2:ID code like ID-JK').optional(),
    city: z.string().optional(),
    warehouseId: z.string().optional(),
  })
  .passthrough();

const ids = {
  tenantId: id.optional(),
  userId: id.optional(),
  correlationId: id.optional(),
};

export const stockLevelChangedSchema = z
  .object({
    productId: id,
    productName: z.string().optional(),
    sku: z.string().optional(),
    locationId: id,
    locationName: z.string().optional(),
    locationData: locationDataSchema.optional(),
    previousLevel: qty.min(0),
    newLevel: qty.min(0),
    quantityChanged: qty,
    movementType: z.enum(['in', 'out', 'adjustment', 'transfer', 'sale', 'return', 'damaged', 'expired']).optional(),
    reason: z.string().optional(),
    referenceId: z.string().optional(),
    reorderPoint: qty.min(0).optional(),
    unit: z.string().optional(),
    category: z.string().optional(),
    ...ids,
  })
  .passthrough();

const stockAlertSchema = z
  .object({
    productId: id,
    productName: z.string().optional(),
    locationId: id,
    locationData: locationDataSchema.optional(),
    currentLevel: qty.min(0),
    reorderPoint: qty.min(0).optional(),
    ...ids,
  })
  .passthrough();

const orderItemSchema = z
  .object({
    productId: id,
    productName: z.string().optional(),
    quantity: qty.min(1),
    unitPrice: rupiah.min(0),
    category: z.string().optional(),
    luxury: z.boolean().optional(),
    halalCertificateNumber: z.string().optional(),
  })
  .passthrough();

const orderSchema = z
  .object({
    orderId: id,
    orderNumber: z.string().optional(),
    customerId: z.string().optional(),
    channel: z.string().optional(),
    items: z.array(orderItemSchema).optional(),
    totalAmount: rupiah.min(0).optional(),
    currency: z.literal('IDR').optional(),
    status: z.string().optional(),
    orderedAt: z.string().optional(),
    deliveryDate: z.string().optional(),
    locationId: z.string().optional(),
    locationData: locationDataSchema.optional(),
    ...ids,
  })
  .passthrough();

const customerSchema = z
  .object({
    customerId: id,
    name: z.string().optional(),
    segment: z.string().optional(),
    locationData: locationDataSchema.optional(),
    ...ids,
  })
  .passthrough();

const analyticsSchema = z.object({ ...ids }).passthrough();

export const domainEventSchemas: Record<string, ZodType> = {
  'inventory.stock.level.changed': stockLevelChangedSchema,
  'inventory.stock.low': stockAlertSchema,
  'inventory.stock.out': stockAlertSchema,
  'inventory.alert.reorder.suggested': stockAlertSchema.extend({ suggestedQuantity: qty.min(0).optional() }),
  'inventory.product.created': z.object({ productId: id, name: z.string().optional(), ...ids }).passthrough(),
  'inventory.product.updated': z.object({ productId: id, ...ids }).passthrough(),
  'orders.order.created': orderSchema,
  'orders.order.paid': orderSchema,
  'orders.order.shipped': orderSchema,
  'orders.order.delivered': orderSchema,
  'orders.order.completed': orderSchema,
  'orders.order.cancelled': orderSchema.extend({ reason: z.string().optional() }),
  'customers.customer.created': customerSchema,
  'customers.customer.updated': customerSchema,
  'analytics.metric.recorded': analyticsSchema.extend({ metric: id, value: z.number() }),
  'analytics.forecast.updated': analyticsSchema,
};

/** Known event types and their payload schemas: the seed's, plus what plugins contribute. */
export class SchemaRegistry {
  private readonly schemas = new Map<string, ZodType>();
  /** a predicate per schema it could be compiled for (see fast-check.ts), null where zod alone decides */
  private readonly checks = new Map<string, FastCheck | null>();

  constructor(initial: Record<string, ZodType> = domainEventSchemas) {
    for (const [type, schema] of Object.entries(initial)) this.register(type, schema);
  }

  register(type: string, schema: ZodType): void {
    this.schemas.set(type, schema);
    this.checks.set(type, compileCheck(schema) ?? null);
  }

  /**
   * Undefined when `data` fits the type's schema (or the type has none); else every problem, as
   * `data.path: message`. Runs on every publish and delivery: a valid payload never reaches zod.
   */
  problemsOf(type: string, data: unknown): string[] | undefined {
    const check = this.checks.get(type);
    if (check === undefined || (check !== null && check(data))) return undefined;
    const result = this.schemas.get(type)!.safeParse(data);
    return result.success ? undefined : describeIssues(result.error.issues);
  }

  has(type: string): boolean {
    return this.schemas.has(type);
  }

  get(type: string): ZodType | undefined {
    return this.schemas.get(type);
  }

  types(): string[] {
    return [...this.schemas.keys()].sort();
  }
}

/** `path: message` for every problem, paths like `items[0].quantity`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], root = 'data'): string[] {
  return issues.map((issue) => {
    let path = root;
    for (const key of issue.path) path += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
    return `${path}: ${issue.message}`;
  });
}
