import type { QueueSpec, TopologySpec, QueueType, ExchangeType } from '../transport/contract.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import { deadLetterExchangeName, dlqName, prefixed, retryDelay, retryQueueName } from './names.ts';
import { priorityQueues, seedExchanges, seedQueues } from './seed.ts';

export interface TopologyBinding {
  /** unprefixed */
  exchange: string;
  routingKeys: string[];
  /** unprefixed */
  queue: string;
  retry: { maxAttempts: number; delayMs: number; multiplier: number; maxDelayMs: number };
}

export interface TopologyOptions {
  prefix: string;
  queueType: QueueType;
  /** exchanges that are not the seed's and not topic (rare: plugins may name their own) */
  exchangeTypes?: Record<string, ExchangeType>;
  /**
   * The policy recover() falls back to when a failure is not a handler's: its wait queues must
   * exist too, or a retry copy sent to the default exchange would be unroutable and lost.
   */
  defaultRetry?: TopologyBinding['retry'];
  /** queues plugins publish into without consuming (broker-held delays), unprefixed */
  holdingQueues?: HoldingQueue[];
  /** quorum work queues: x-delivery-limit (default 20) */
  deliveryLimit?: number;
}

/**
 * Quorum queues dead-letter at most once unless told otherwise: a dead letter whose target is
 * down or unroutable would be dropped. at-least-once holds it until the target confirms it, and
 * RabbitMQ only honours it with reject-publish overflow (else it falls back to at-most-once).
 */
function atLeastOnce(spec: QueueSpec): QueueSpec {
  if (spec.type === 'quorum' && spec.deadLetterExchange !== undefined) {
    spec.deadLetterStrategy = 'at-least-once';
    spec.overflow = 'reject-publish';
  }
  return spec;
}

/** A plugin's queue with no consumer (`configure()` → `queues`): names unprefixed, no DLQ (nothing rejects). */
export interface HoldingQueue {
  name: string;
  messageTtlMs?: number;
  deadLetter?: { exchange: string; routingKey?: string };
  routes?: { exchange: string; routingKey: string }[];
  /** @deprecated a plugin queue's old name for `routes` */
  bindings?: { exchange: string; routingKey: string }[];
}

/**
 * Everything the broker must have for these bindings: the seed's topology, each binding's queue
 * with its DLQ, and one TTL wait queue per retry delay that dead-letters back to the work queue
 * through the default exchange (so only that queue sees the retry, not its exchange's other queues).
 */
export function buildTopology(bindings: TopologyBinding[], options: TopologyOptions): TopologySpec {
  const { prefix, queueType } = options;
  const dlx = deadLetterExchangeName(prefix);
  const exchanges = new Map<string, ExchangeType>();
  for (const e of seedExchanges) exchanges.set(prefixed(prefix, e.name), e.type);
  exchanges.set(dlx, 'direct');
  for (const b of bindings) {
    const name = prefixed(prefix, b.exchange);
    if (!exchanges.has(name)) exchanges.set(name, options.exchangeTypes?.[b.exchange] ?? 'topic');
  }

  const queues = new Map<string, QueueSpec>();
  const delaysByQueue = new Map<string, Set<number>>();
  const routes = new Map<string, { exchange: string; queue: string; routingKey: string }>();
  const addWorkQueue = (unprefixed: string) => {
    const name = prefixed(prefix, unprefixed);
    if (queues.has(name)) return name;
    // a message that expires here (its TTL, default 30 min) or is rejected lands in the DLQ: never silently dropped
    const spec: QueueSpec = { name, type: queueType, deadLetterExchange: dlx, deadLetterRoutingKey: name };
    if (queueType === 'classic' && priorityQueues.has(unprefixed)) spec.maxPriority = 9;
    // the pipeline dead-letters what reaches a handler; this catches what never does (a message
    // that kills its consumer each time). Not on DLQs: `dlq show` requeues, and that would count
    if (queueType === 'quorum') spec.deliveryLimit = options.deliveryLimit ?? 20;
    queues.set(name, atLeastOnce(spec));
    const dlq = dlqName(name);
    queues.set(dlq, { name: dlq, type: queueType });
    routes.set(`${dlx}|${dlq}|${name}`, { exchange: dlx, queue: dlq, routingKey: name });
    return name;
  };
  for (const q of seedQueues) addWorkQueue(q);

  for (const b of bindings) {
    const queue = addWorkQueue(b.queue);
    const exchange = prefixed(prefix, b.exchange);
    const type = exchanges.get(exchange);
    const keys = type === 'fanout' ? [''] : b.routingKeys;
    for (const routingKey of keys) routes.set(`${exchange}|${queue}|${routingKey}`, { exchange, queue, routingKey });
    const delays = delaysByQueue.get(queue) ?? new Set<number>();
    for (const policy of options.defaultRetry ? [b.retry, options.defaultRetry] : [b.retry]) {
      for (let attempt = 1; attempt < policy.maxAttempts; attempt++) delays.add(retryDelay(policy, attempt));
    }
    delaysByQueue.set(queue, delays);
  }

  for (const [queue, delays] of delaysByQueue) {
    for (const delay of delays) {
      if (delay <= 0) continue;
      const name = retryQueueName(queue, delay);
      queues.set(name, atLeastOnce({ name, type: queueType, messageTtl: delay, deadLetterExchange: '', deadLetterRoutingKey: queue }));
    }
  }

  for (const h of options.holdingQueues ?? []) {
    const name = prefixed(prefix, h.name);
    if (queues.has(name)) {
      throw new StokcerdasError(ErrorCodes.TOPOLOGY_CONFLICT, `queue "${name}" is declared by a plugin's configure() and is also a work or wait queue: rename it`, { queue: name });
    }
    const spec: QueueSpec = { name, type: queueType };
    if (h.messageTtlMs !== undefined) spec.messageTtl = h.messageTtlMs;
    const exchangeOf = (unprefixed: string) => {
      const x = prefixed(prefix, unprefixed);
      if (!exchanges.has(x)) exchanges.set(x, options.exchangeTypes?.[unprefixed] ?? 'topic');
      return x;
    };
    if (h.deadLetter) {
      spec.deadLetterExchange = exchangeOf(h.deadLetter.exchange);
      if (h.deadLetter.routingKey !== undefined) spec.deadLetterRoutingKey = h.deadLetter.routingKey;
    }
    queues.set(name, atLeastOnce(spec));
    for (const b of h.routes ?? h.bindings ?? []) {
      const exchange = exchangeOf(b.exchange);
      routes.set(`${exchange}|${name}|${b.routingKey}`, { exchange, queue: name, routingKey: b.routingKey });
    }
  }

  return {
    exchanges: [...exchanges].map(([name, type]) => ({ name, type })),
    queues: [...queues.values()],
    routes: [...routes.values()],
  };
}
