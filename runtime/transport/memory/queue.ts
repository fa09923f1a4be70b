import type { Clock } from '../../clock/index.ts';
import type { CarriedEvent, Delivery, MessageProperties, QueueSpec } from '../contract.ts';
import { CarriedDelivery } from '../event-snapshot.ts';
import { Deque } from './deque.ts';
import type { Throttle } from './flow.ts';

/** What a message holds: its bytes, or the event it carries (shared by every queue it reached: never changed) */
export type Payload = Buffer | CarriedEvent;

export interface StoredMessage {
  payload: Payload;
  exchange: string;
  routingKey: string;
  /** shared by every queue the message was routed to: never mutated, copied per delivery */
  properties: MessageProperties;
  redelivered: boolean;
  /** clock time at which the message expires; Infinity when it never does */
  expiresAt: number;
}

// Node's setTimeout fires at once past 2^31-1 ms; a longer wait wakes early and re-arms.
const MAX_TIMER_MS = 2_147_483_647;

/** What a queue needs of its consumers: the free capacity its round-robin looks at. */
export interface QueueConsumer {
  readonly free: number;
}

/**
 * One queue: ready messages (one FIFO per priority level), the unacked count, its consumers, and
 * the single expiry timer. Like RabbitMQ, a message only expires at the head of its queue, so the
 * timer only ever tracks heads.
 */
export class MemoryQueue<C extends QueueConsumer = QueueConsumer> {
  readonly name: string;
  readonly consumers: C[] = [];
  ready = 0;
  unacked = 0;
  dispatchScheduled = false;
  /** the publishes held back until this queue drains, while there are any (flow.ts) */
  throttle: Throttle | undefined = undefined;
  private readonly levels: Array<Deque<StoredMessage>>;
  private readonly ttl: number;
  private rr = 0;
  private timerAt = Infinity;
  private cancelTimer: (() => void) | undefined;
  private disposed = false;

  constructor(
    readonly spec: QueueSpec,
    private readonly clock: Clock,
    private readonly onExpired: (queue: MemoryQueue<C>, message: StoredMessage) => void,
  ) {
    this.name = spec.name;
    this.ttl = spec.messageTtl ?? Infinity;
    const levels = spec.maxPriority !== undefined && spec.maxPriority > 0 ? spec.maxPriority + 1 : 1;
    this.levels = Array.from({ length: levels }, () => new Deque<StoredMessage>());
  }

  enqueue(exchange: string, routingKey: string, payload: Payload, properties: MessageProperties): void {
    let ttl = this.ttl;
    const expiration = properties.expiration;
    if (expiration !== undefined && expiration < ttl) ttl = expiration;
    const expiresAt = ttl === Infinity ? Infinity : this.clock.now() + ttl;
    const level = this.levelFor(properties);
    level.push({ payload, exchange, routingKey, properties, redelivered: false, expiresAt });
    this.ready++;
    if (level.length === 1 && expiresAt !== Infinity) this.arm(expiresAt);
  }

  /** Back to the head of its level, as a broker requeue does. */
  requeue(message: StoredMessage): void {
    message.redelivered = true;
    this.levelFor(message.properties).unshift(message);
    this.ready++;
    if (message.expiresAt !== Infinity) this.arm(message.expiresAt);
  }

  /**
   * The next deliverable message (highest priority first); expired heads dead-letter on the way.
   * `now`: a dispatch turn reads the clock once for all it takes.
   */
  take(now = this.clock.now()): StoredMessage | undefined {
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const level = this.levels[i];
      let message = level.shift();
      while (message !== undefined) {
        this.ready--;
        if (message.expiresAt !== Infinity && message.expiresAt <= now) {
          this.onExpired(this, message);
          message = level.shift();
          continue;
        }
        const next = level.peek();
        if (next !== undefined && next.expiresAt < this.timerAt) this.arm(next.expiresAt);
        return message;
      }
    }
    return undefined;
  }

  /** Removes every ready message (unacked ones stay, as in RabbitMQ) and returns the count. */
  purge(): number {
    let removed = 0;
    for (const level of this.levels) removed += level.clear();
    this.ready -= removed;
    return removed;
  }

  /** Ready messages in delivery order, left in place. */
  peekAll(): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (let i = this.levels.length - 1; i >= 0; i--) out.push(...this.levels[i].toArray());
    return out;
  }

  addConsumer(consumer: C): void {
    this.consumers.push(consumer);
  }

  removeConsumer(consumer: C): void {
    const index = this.consumers.indexOf(consumer);
    if (index < 0) return;
    this.consumers.splice(index, 1);
    if (this.rr > index) this.rr--;
  }

  /** Whether a consumer could take a message now. */
  hasFreeConsumer(): boolean {
    for (const consumer of this.consumers) if (consumer.free > 0) return true;
    return false;
  }

  /** Round-robin over consumers with free capacity, as RabbitMQ spreads deliveries. */
  nextConsumer(): C | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const index = (this.rr + i) % n;
      const consumer = this.consumers[index];
      if (consumer.free > 0) {
        this.rr = (index + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAt = Infinity;
  }

  private levelFor(properties: MessageProperties): Deque<StoredMessage> {
    const top = this.levels.length - 1;
    if (top === 0) return this.levels[0];
    const p = properties.priority;
    // No priority property means 0; above x-max-priority is treated as the maximum.
    return this.levels[typeof p === 'number' && p > 0 ? Math.min(Math.floor(p), top) : 0];
  }

  private arm(at: number): void {
    if (at >= this.timerAt || this.disposed) return;
    this.cancelTimer?.();
    this.timerAt = at;
    const delay = Math.min(Math.max(0, at - this.clock.now()), MAX_TIMER_MS);
    this.cancelTimer = this.clock.setTimeout(this.onTimer, delay);
  }

  private readonly onTimer = (): void => {
    this.timerAt = Infinity;
    this.cancelTimer = undefined;
    const now = this.clock.now();
    let next = Infinity;
    for (const level of this.levels) {
      for (let head = level.peek(); head !== undefined && head.expiresAt <= now; head = level.peek()) {
        level.shift();
        this.ready--;
        this.onExpired(this, head);
      }
      const head = level.peek();
      if (head !== undefined && head.expiresAt < next) next = head.expiresAt;
    }
    if (next !== Infinity) this.arm(next);
  };
}

/**
 * The consumer's view of a stored message. Property objects are copied so that a handler editing
 * headers (to record a failure, say) cannot change the copy another queue or a redelivery sees;
 * a carried event is copied for each delivery the same way (on first read).
 */
export function toDelivery(message: StoredMessage, queue: string): Delivery {
  const source = message.properties;
  const properties: MessageProperties = { ...source };
  if (source.headers !== undefined) properties.headers = { ...source.headers };
  const payload = message.payload;
  if (!Buffer.isBuffer(payload)) {
    return new CarriedDelivery(payload, message.exchange, message.routingKey, queue, properties, message.redelivered);
  }
  return {
    body: payload,
    exchange: message.exchange,
    routingKey: message.routingKey,
    queue,
    properties,
    redelivered: message.redelivered,
  };
}
