import type { Logger } from 'pino';
import { compileTopic } from '../topology/match.ts';
import type { StokEvent } from '../events/types.ts';
import { deliveryLogFields } from './log-fields.ts';
import { HandlerFailure, createCall, type DeliveryStep, type HandlerBinding, type HandlerStep } from './types.ts';

interface Route {
  binding: HandlerBinding;
  matches: (routingKey: string) => boolean;
  run: HandlerStep;
}

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

  const runOne = async (route: Route, event: StokEvent, attempt: number) => {
    try {
      await route.run(createCall(route.binding, [event], attempt));
    } catch (err) {
      throw err instanceof HandlerFailure ? err : new HandlerFailure(route.binding, err);
    }
  };

  return async (ctx) => {
    const event = ctx.event!;
    const retryFor = ctx.delivery.properties.headers?.['x-retry-handlers'];
    const targets =
      typeof retryFor === 'string' && retryFor !== ''
        ? retryFor.split(',').map((k) => byKey.get(k)).filter((r): r is Route => r !== undefined)
        : routes.filter((r) => r.matches(ctx.routingKey));
    ctx.handlers = targets.map((t) => t.binding);
    if (targets.length === 0) {
      logger.warn({ ...deliveryLogFields(ctx), eventId: event.id, type: event.type }, 'no handler on this queue matches the routing key; acked');
      return 'ack';
    }
    if (targets.length === 1) {
      await runOne(targets[0]!, event, ctx.attempt);
      return 'ack';
    }
    const results = await Promise.allSettled(targets.map((t) => runOne(t, event, ctx.attempt)));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as HandlerFailure);
    if (failures.length > 0) {
      // one retry copy names every failed handler, so no handler that succeeded runs twice
      const first = failures[0]!;
      first.others = failures.slice(1).map((f) => f.binding);
      throw first;
    }
    return 'ack';
  };
}
