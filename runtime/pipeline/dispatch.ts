import type { Logger } from 'pino';
import { compileTopic } from '../transport/match.ts';
import type { StokEvent } from '../events/types.ts';
import type { Settlement } from '../transport/contract.ts';
import { deliveryLogFields } from './log-fields.ts';
import { isPromise, promised, after, type MaybePromise } from './maybe-async.ts';
import { HandlerFailure, createCall, type DeliveryStep, type HandlerBinding, type HandlerStep } from './types.ts';

interface Route {
  binding: HandlerBinding;
  matches: (routingKey: string) => boolean;
  run: HandlerStep;
}

interface Targets {
  routes: Route[];
  bindings: HandlerBinding[];
}

/** routing keys are event types, a small set; the cap only guards against a producer inventing keys */
const MAX_CACHED_KEYS = 1_000;
const ACK = (): Settlement => 'ack';

/**
 * Several handlers may share a queue: each delivery runs the handlers whose patterns match its
 * routing key. It is the last step of the delivery path. A retry names the handlers that failed (`x-retry-handlers`): only those run again.
 */
export function dispatch(handlers: { binding: HandlerBinding; run: HandlerStep }[], logger: Logger): DeliveryStep {
  const routes: Route[] = handlers.map(({ binding, run }) => {
    const matchers = binding.routingKeys.map((key) => compileTopic(key));
    return { binding, run, matches: (rk) => matchers.some((m) => m(rk)) };
  });
  const byKey = new Map(routes.map((r) => [r.binding.key, r]));
  const byRoutingKey = new Map<string, Targets>();

  const targetsFor = (routingKey: string): Targets => {
    let targets = byRoutingKey.get(routingKey);
    if (!targets) {
      const matching = routes.filter((r) => r.matches(routingKey));
      targets = { routes: matching, bindings: matching.map((r) => r.binding) };
      if (byRoutingKey.size >= MAX_CACHED_KEYS) byRoutingKey.clear();
      byRoutingKey.set(routingKey, targets);
    }
    return targets;
  };

  return (ctx) => {
    const event = ctx.event!;
    const retryFor = ctx.delivery.properties.headers?.['x-retry-handlers'];
    let targets: Targets;
    if (typeof retryFor === 'string' && retryFor !== '') {
      const named = retryFor.split(',').map((k) => byKey.get(k)).filter((r): r is Route => r !== undefined);
      targets = { routes: named, bindings: named.map((r) => r.binding) };
    } else {
      targets = targetsFor(ctx.routingKey);
    }
    ctx.handlers = targets.bindings;
    if (targets.routes.length === 0) {
      logger.warn({ ...deliveryLogFields(ctx), eventId: event.id, type: event.type }, 'no handler on this queue matches the routing key; acked');
      return 'ack';
    }
    if (targets.routes.length === 1) return after(runOne(targets.routes[0]!, event, ctx.attempt), ACK);
    return runAll(targets.routes, event, ctx.attempt);
  };
}

/** A handler's failure, labelled with the handler (recover applies that handler's retry policy). */
function runOne(route: Route, event: StokEvent, attempt: number): MaybePromise<void> {
  let result: MaybePromise<void>;
  try {
    result = route.run(createCall(route.binding, [event], attempt));
  } catch (err) {
    throw asFailure(route.binding, err);
  }
  if (!isPromise(result)) return undefined;
  return result.then(undefined, (err: unknown) => {
    throw asFailure(route.binding, err);
  });
}

async function runAll(routes: Route[], event: StokEvent, attempt: number): Promise<Settlement> {
  const results = await Promise.allSettled(routes.map((r) => promised(() => runOne(r, event, attempt))));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as HandlerFailure);
  if (failures.length > 0) {
    // one retry copy names every failed handler, so no handler that succeeded runs twice
    const first = failures[0]!;
    first.others = failures.slice(1).map((f) => f.binding);
    throw first;
  }
  return 'ack';
}

function asFailure(binding: HandlerBinding, err: unknown): HandlerFailure {
  return err instanceof HandlerFailure ? err : new HandlerFailure(binding, err);
}
