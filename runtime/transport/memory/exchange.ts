import { compileTopic, type TopicMatcher } from '../match.ts';
import type { ExchangeType } from '../contract.ts';

const NONE: readonly never[] = [];
// Routing keys are event types: a bounded set in practice. The cap guards against unique keys.
const ROUTE_CACHE_LIMIT = 10_000;

interface TopicBinding<Q> {
  pattern: string;
  queue: Q;
  matches: TopicMatcher;
}

/** An exchange's bindings and its routing rule. A queue receives one copy however many of its bindings match. */
export class MemoryExchange<Q> {
  private readonly direct = new Map<string, Q[]>();
  private readonly fanout: Q[] = [];
  private readonly topic: Array<TopicBinding<Q>> = [];
  private readonly routeCache = new Map<string, readonly Q[]>();

  constructor(
    readonly name: string,
    readonly type: ExchangeType,
  ) {}

  bind(queue: Q, routingKey: string): void {
    if (this.type === 'direct') {
      const list = this.direct.get(routingKey);
      if (list === undefined) this.direct.set(routingKey, [queue]);
      else if (!list.includes(queue)) list.push(queue);
    } else if (this.type === 'fanout') {
      if (!this.fanout.includes(queue)) this.fanout.push(queue);
    } else if (!this.topic.some((b) => b.pattern === routingKey && b.queue === queue)) {
      this.topic.push({ pattern: routingKey, queue, matches: compileTopic(routingKey) });
      this.routeCache.clear();
    }
  }

  /** The queues a message with this routing key goes to; the array must not be modified. */
  route(routingKey: string): readonly Q[] {
    if (this.type === 'direct') return this.direct.get(routingKey) ?? NONE;
    if (this.type === 'fanout') return this.fanout;
    let hit = this.routeCache.get(routingKey);
    if (hit === undefined) {
      const found: Q[] = [];
      for (const b of this.topic) if (b.matches(routingKey) && !found.includes(b.queue)) found.push(b.queue);
      if (this.routeCache.size >= ROUTE_CACHE_LIMIT) this.routeCache.clear();
      this.routeCache.set(routingKey, found);
      hit = found;
    }
    return hit;
  }
}
