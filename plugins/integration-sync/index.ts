import { definePlugin, NonRetryableError, type HandlerContext, type HandlerDefinition, type StokEvent } from 'stokcerdas';
import type { PushOutcome } from './adapters.ts';
import { EventTypes, REQUEST_EXCHANGE, RESULT_EXCHANGE, emittedEventSchemas, type EmittedPayloads, type SyncFailed, type SyncRequest, type SyncSucceeded } from './events.ts';
import { integrationSyncOptionsSchema, type IntegrationSyncOptions, type TargetOptions } from './options.ts';
import { matchesTopic, orderRequest, stockRequest } from './requests.ts';
import { IntegrationSync, SERVICE, handlerName, targetQueue, type TargetRuntime } from './target.ts';

/**
 * Stock and order-status changes → external sales channels, one queue per target.
 *
 *   inventory/orders events ─▶ integration.sync ─(stock, orders: one request per matching target)─▶
 *   integration.events, routing key <target> ─▶ integration.sync.<target> ─(to-<target>)─▶ adapter
 *
 * A target that keeps failing has its consumer cancelled (the `bindings` service): its requests
 * wait in its own queue in RabbitMQ while the others carry on, and one probe goes out after the
 * cooldown. README.md beside this file has the options and the events.
 */

const QUEUE = 'integration.sync';

declare module 'stokcerdas' {
  interface ServiceTypes {
    /** this host's targets: breakers, rate limits, counters (integration-sync) */
    'integration-sync': IntegrationSync;
  }
}

/** A declared handler's context: the plugin's options, `publish` typed by the plugin's own events. */
type Ctx = HandlerContext<IntegrationSyncOptions, EmittedPayloads>;

/** One request per enabled target that wants this type and tenant; it waits up to holdMs in the target's queue. */
function route<E extends StokEvent>(event: E, ctx: Ctx, request: (target: string, event: E) => SyncRequest): void {
  const o = ctx.options;
  for (const [name, t] of Object.entries(o.targets)) {
    if (!t.enabled || !t.events.some((p) => matchesTopic(p, event.type))) continue;
    if (t.tenants && !(event.tenantid && t.tenants.includes(event.tenantid))) continue;
    ctx.publish(EventTypes.requested, request(name, event), { exchange: REQUEST_EXCHANGE, routingKey: name, ttl: o.holdMs });
  }
}

function resultBase(req: SyncRequest, event: StokEvent, attempt: number) {
  return {
    target: req.target,
    kind: req.kind,
    sourceEventId: req.sourceEventId,
    sourceEventType: req.sourceEventType,
    occurredAt: req.occurredAt,
    ...(req.tenantId ? { tenantId: req.tenantId } : {}),
    requestId: event.id,
    attempt,
  };
}

/** Runs in a handler built by configure(): its payloads are typed by the annotations below, the registry checks them. */
async function deliver(target: TargetRuntime, event: StokEvent<SyncRequest>, ctx: HandlerContext): Promise<void> {
  const req = event.data;
  if (target.isSuperseded(req)) {
    target.counters.superseded++;
    const skipped: SyncSucceeded = { ...resultBase(req, event, ctx.attempt), skipped: 'superseded' };
    ctx.publish(EventTypes.succeeded, skipped, { exchange: RESULT_EXCHANGE });
    return;
  }
  const admission = target.breaker.admit();
  if (admission === 'deny') {
    // only a delivery already handed over when the switch tripped gets here (concurrency > 1):
    // it takes a broker-held retry and finds the queue paused when it comes back
    target.counters.denied++;
    throw new Error(`target ${target.name} is paused (kill switch ${target.breaker.state})`);
  }
  const adapter = target.adapterOf();
  // published at once (not through the outbox): a failing handler's outbox is discarded
  const publishNow = ctx.resolve('publish');
  const failed = async (outcome: SyncFailed['outcome'], reason: string, status?: number) => {
    const retrying = outcome !== 'rejected' && ctx.attempt < target.options.retry.maxAttempts;
    const data: SyncFailed = { ...resultBase(req, event, ctx.attempt), outcome, reason, ...(status ? { status } : {}), retrying, breaker: target.breaker.state };
    await publishNow(EventTypes.failed, data, { exchange: RESULT_EXCHANGE, tenantId: event.tenantid, correlationId: event.correlationid ?? event.id, causationId: event.id });
  };
  if (!adapter) {
    const reason = `no adapter "${target.options.adapter}" (a plugin must register the service integration-sync.adapter.${target.options.adapter})`;
    target.failedPush(reason);
    await failed('no-adapter', reason);
    throw new Error(reason);
  }
  try {
    await target.limiter.take(ctx.clock, ctx.signal);
  } catch (err) {
    // timed out waiting for a token: the target never saw it, so the probe is still to be made
    if (admission === 'probe') target.breaker.abandonProbe();
    throw err;
  }
  let outcome: PushOutcome;
  try {
    outcome = await adapter.push(req, { idempotencyKey: req.sourceEventId, now: ctx.clock.now(), signal: ctx.signal });
  } catch (err) {
    // a custom adapter that throws is counted like an unreachable target
    outcome = { kind: 'unavailable', reason: `adapter threw: ${(err as Error)?.message ?? String(err)}`, durationMs: 0 };
  }
  if (outcome.kind === 'ok') {
    target.pushed(req);
    const done: SyncSucceeded = { ...resultBase(req, event, ctx.attempt), status: outcome.status, durationMs: outcome.durationMs };
    ctx.publish(EventTypes.succeeded, done, { exchange: RESULT_EXCHANGE });
    return;
  }
  const reason = 'reason' in outcome ? outcome.reason : `HTTP ${outcome.status} (rate limited)`;
  if (outcome.kind === 'rejected') {
    // the target is healthy and refuses this request: no kill switch, no retry
    if (target.breaker.state === 'half-open') target.breaker.success();
    target.counters.failed++;
    await failed('rejected', reason, outcome.status);
    throw new NonRetryableError(`${target.name} refused ${req.kind} ${req.sourceEventId}: ${reason}`);
  }
  // a 429 without Retry-After still opens the switch: the target asked us to back off
  target.failedPush(reason, outcome.kind === 'rate-limited' ? (outcome.retryAfterMs ?? target.options.breaker.cooldownMs) : undefined);
  await failed(outcome.kind, reason, outcome.status);
  throw new Error(`${target.name}: ${reason}`);
}

/** Requests in flight at once equal the prefetch: nothing waits unacked in the host while paused. */
function targetHandler(name: string, t: TargetOptions): HandlerDefinition {
  const rateWaitMs = Math.ceil((1000 * t.concurrency) / t.rateLimit.perSecond);
  return {
    subscribe: { exchange: REQUEST_EXCHANGE, routingKeys: [name], queue: targetQueue(name) },
    concurrency: t.concurrency,
    prefetch: t.concurrency,
    timeoutMs: t.timeoutMs + rateWaitMs + 2000,
    retry: t.retry,
    // a configured handler is not typed from its routing key: the payload is this plugin's own, checked by its schema
    handle(event: StokEvent<SyncRequest>, ctx: HandlerContext) {
      return deliver(ctx.resolve(SERVICE).target(name), event, ctx);
    },
  };
}

export default definePlugin({
  name: 'integration-sync',
  version: '1.0.0',
  description: 'Pushes stock levels and order statuses to sales channels, one queue, rate limit and kill switch per target',
  options: integrationSyncOptionsSchema,
  events: emittedEventSchemas,
  configure(o) {
    const handlers: Record<string, HandlerDefinition> = {};
    for (const [name, t] of Object.entries(o.targets)) handlers[handlerName(name)] = targetHandler(name, t);
    return { handlers };
  },
  setup(ctx) {
    ctx.register(SERVICE, new IntegrationSync(ctx.options, ctx));
  },
  handlers: {
    stock: {
      subscribe: { exchange: 'inventory.events', routingKeys: ['inventory.stock.level.changed'], queue: QUEUE },
      handle: (event, ctx) => route(event, ctx, stockRequest),
    },
    orders: {
      subscribe: {
        exchange: 'orders.events',
        routingKeys: ['orders.order.created', 'orders.order.paid', 'orders.order.shipped', 'orders.order.delivered', 'orders.order.completed', 'orders.order.cancelled'],
        queue: QUEUE,
      },
      handle: (event, ctx) => route(event, ctx, orderRequest),
    },
  },
});
