import type { PluginQueue } from 'stokcerdas';
import { EXCHANGE, EventTypes } from './events.ts';

/**
 * Holding a message until business opens, with the broker doing the waiting (no timer in the host:
 * a host restarted at night loses nothing and sends nothing early).
 *
 * One queue per delay tier, `notifications.deferred.<tier>ms`, with `x-message-ttl = tier` and no
 * consumer. RabbitMQ only expires the message at the head of a queue, so a queue must hold one delay
 * only; a tier queue does. An expired message dead-letters to `notifications.direct` with
 * routing key `notifications.message.deferred`, which the `release` handler consumes on
 * `notifications.high.priority`. The wait is cut into hops: each hop takes the largest tier that
 * does not pass `notBefore`, and `release` either sends the message (due) or publishes the next hop.
 * A Friday 17:00 → Monday 09:00 wait is four 16 h hops; a night is a handful.
 */

export function tierQueue(tierMs: number): string {
  return `notifications.deferred.${tierMs}ms`;
}

/** The routing key that puts a message in a tier's queue (on `notifications.direct`). */
export function tierRoutingKey(tierMs: number): string {
  return `notifications.deferred.${tierMs}ms`;
}

export function deferralQueues(tiersMs: readonly number[]): PluginQueue[] {
  return tiersMs.map((tier) => ({
    name: tierQueue(tier),
    messageTtlMs: tier,
    deadLetter: { exchange: EXCHANGE, routingKey: EventTypes.deferred },
    routes: [{ exchange: EXCHANGE, routingKey: tierRoutingKey(tier) }],
  }));
}

/**
 * The tier for the next hop: the largest one that fits in what is left, so the message never
 * comes back late by more than the smallest tier. `undefined` when the message is due now.
 */
export function nextTier(tiersMs: readonly number[], remainingMs: number): number | undefined {
  if (remainingMs <= 0) return undefined;
  let best: number | undefined;
  for (const t of tiersMs) if (t <= remainingMs && (best === undefined || t > best)) best = t;
  return best ?? Math.min(...tiersMs);
}

/** How many hops a wait takes (for the README's figures and the tests). */
export function hopsFor(tiersMs: readonly number[], waitMs: number): number {
  let hops = 0;
  for (let left = waitMs; ; hops++) {
    const t = nextTier(tiersMs, left);
    if (t === undefined) return hops;
    left -= t;
  }
}
