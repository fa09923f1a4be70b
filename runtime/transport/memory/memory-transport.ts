import { systemClock, type Clock } from '../../clock/index.ts';
import { ErrorCodes, StokcerdasError } from '../../errors.ts';
import type {
  Consumer, ConsumeOptions, Delivery, DeliveryCallback, DeliveryHandler, ExchangeSpec, MessageProperties, OutgoingMessage,
  QueueInfo, Settlement, TopologySpec, Transport, TransportStatus,
} from '../contract.ts';
import { MemoryConsumer, type ConsumerHost } from './consumer.ts';
import { deadLetterProperties, isDeadLetterCycle, type DeathReason } from './x-death.ts';
import { assertSameExchange, assertSameQueue, normalizeQueueSpec } from './declare.ts';
import { MemoryExchange } from './exchange.ts';
import { MemoryQueue, toDelivery, type StoredMessage } from './queue.ts';

type Queue = MemoryQueue<MemoryConsumer>;

export interface MemoryTransportOptions {
  /** drives TTL expiry; a VirtualClock makes retries instant in tests */
  clock?: Clock;
}

const NO_QUEUES: readonly Queue[] = [];

/**
 * An in-process broker with RabbitMQ's semantics (routing, prefetch, TTL at the head of the queue,
 * dead-lettering with x-death), so the runtime core behaves the same here as on RabbitMQ.
 * Not durable: everything is lost with the process.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  readonly durable = false;
  private readonly clock: Clock;
  private readonly exchanges = new Map<string, MemoryExchange<Queue>>();
  private readonly queues = new Map<string, Queue>();
  private closed = false;
  private running = 0;
  private pending: Queue[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly host: ConsumerHost = {
    settle: (queue, message, settlement) => this.settle(queue, message, settlement),
    handlerStarted: () => {
      this.running++;
    },
    handlerFinished: (queue) => {
      this.running--;
      if (queue.ready > 0) this.scheduleDispatch(queue);
      this.checkIdle();
    },
    detach: (consumer) => this.queues.get(consumer.queue)?.removeConsumer(consumer),
  };
  private readonly expire = (queue: Queue, message: StoredMessage): void => this.deadLetter(queue, message, 'expired');

  constructor(options: MemoryTransportOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  async connect(): Promise<void> {
    this.assertOpen();
  }

  async assertTopology(topology: TopologySpec): Promise<void> {
    this.assertOpen();
    for (const spec of topology.exchanges) this.declareExchange(spec);
    for (const spec of topology.queues) {
      const normalized = normalizeQueueSpec(spec);
      const existing = this.queues.get(normalized.name);
      if (existing !== undefined) assertSameQueue(existing.spec, normalized);
      else this.queues.set(normalized.name, new MemoryQueue<MemoryConsumer>(normalized, this.clock, this.expire));
    }
    for (const binding of topology.routes) {
      if (binding.exchange === '') {
        throw new StokcerdasError(ErrorCodes.TOPOLOGY_CONFLICT, `queue "${binding.queue}": the default exchange cannot be bound (it routes by queue name already)`, { ...binding });
      }
      this.exchangeOrThrow(binding.exchange).bind(this.queueOrThrow(binding.queue), binding.routingKey);
    }
  }

  async publish(message: OutgoingMessage): Promise<void> {
    this.assertOpen();
    this.validate(message);
    this.route(message.exchange, message.routingKey, message.body, message.properties);
  }

  async publishBatch(messages: OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    // all or nothing: one bad message and none of the batch is enqueued
    for (const message of messages) this.validate(message);
    for (const m of messages) this.route(m.exchange, m.routingKey, m.body, m.properties);
  }

  consume(queue: string, options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumer>;
  consume(queue: string, options: ConsumeOptions, handler: DeliveryCallback): Promise<Consumer>;
  async consume(queue: string, options: ConsumeOptions, handler: DeliveryCallback): Promise<Consumer> {
    this.assertOpen();
    const source = this.queueOrThrow(queue);
    const consumer = new MemoryConsumer(source, options, handler, this.host);
    source.addConsumer(consumer);
    this.scheduleDispatch(source);
    return consumer;
  }

  async get(queue: string): Promise<{ delivery: Delivery; settle(s: Settlement): Promise<void> } | null> {
    this.assertOpen();
    const source = this.queueOrThrow(queue);
    const message = source.take();
    if (message === undefined) return null;
    source.unacked++;
    let settled = false;
    return {
      delivery: toDelivery(message, source.name),
      settle: async (settlement) => {
        // a second settle would be a channel error on RabbitMQ; here it is simply ignored
        if (settled) return;
        settled = true;
        this.settle(source, message, settlement);
      },
    };
  }

  async queueInfo(queue: string): Promise<QueueInfo> {
    this.assertOpen();
    return this.info(this.queueOrThrow(queue));
  }

  async purge(queue: string): Promise<number> {
    this.assertOpen();
    return this.queueOrThrow(queue).purge();
  }

  status(): TransportStatus {
    return { connected: !this.closed, reconnects: 0, bufferedPublishes: 0 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const queue of this.queues.values()) {
      for (const consumer of queue.consumers) consumer.abort();
      queue.consumers.length = 0;
      queue.dispose();
    }
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.pending = [];
    this.checkIdle();
  }

  /**
   * Resolves once no handler runs and no ready message waits for a consumer with free capacity.
   * Messages waiting on a TTL do not count: advance the clock for those.
   */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  listQueues(): QueueInfo[] {
    return [...this.queues.values()].map((queue) => this.info(queue));
  }

  /** Ready messages in delivery order, left in the queue (DLQ listing). */
  peek(queue: string): Delivery[] {
    const source = this.queueOrThrow(queue);
    return source.peekAll().map((message) => toDelivery(message, source.name));
  }

  private info(queue: Queue): QueueInfo {
    // what AMQP's queue.declare-ok reports (the AMQP transport can see nothing else): ready only
    return { name: queue.name, messages: queue.ready, consumers: queue.consumers.length };
  }

  private declareExchange(spec: ExchangeSpec): void {
    if (spec.name === '') {
      throw new StokcerdasError(ErrorCodes.TOPOLOGY_CONFLICT, 'the default exchange "" cannot be declared', { exchange: '' });
    }
    const existing = this.exchanges.get(spec.name);
    if (existing !== undefined) assertSameExchange(existing, spec);
    else this.exchanges.set(spec.name, new MemoryExchange<Queue>(spec.name, spec.type));
  }

  private validate(message: OutgoingMessage): void {
    if (message.exchange !== '') this.exchangeOrThrow(message.exchange);
    const expiration = message.properties.expiration;
    if (expiration !== undefined && !(Number.isInteger(expiration) && expiration >= 0)) {
      throw new StokcerdasError(ErrorCodes.PUBLISH_FAILED, `properties.expiration must be a whole number of ms ≥ 0, got ${expiration}`, {
        exchange: message.exchange,
        routingKey: message.routingKey,
      });
    }
  }

  /** Unroutable messages are dropped, as RabbitMQ does without the mandatory flag. */
  private route(exchange: string, routingKey: string, body: Buffer, properties: MessageProperties, reason?: DeathReason): void {
    const targets = this.targets(exchange, routingKey);
    for (let i = 0; i < targets.length; i++) {
      const queue = targets[i];
      if (reason !== undefined && isDeadLetterCycle(queue.name, reason, properties.headers)) continue;
      queue.enqueue(exchange, routingKey, body, properties);
      if (queue.consumers.length > 0) this.scheduleDispatch(queue);
    }
  }

  private targets(exchange: string, routingKey: string): readonly Queue[] {
    if (exchange === '') {
      const queue = this.queues.get(routingKey);
      return queue === undefined ? NO_QUEUES : [queue];
    }
    return this.exchanges.get(exchange)?.route(routingKey) ?? NO_QUEUES;
  }

  private deadLetter(queue: Queue, message: StoredMessage, reason: DeathReason): void {
    const exchange = queue.spec.deadLetterExchange;
    // no DLX: RabbitMQ drops the message; a DLX that does not exist drops it too (via route)
    if (exchange === undefined || this.closed) return;
    const properties = deadLetterProperties(message, queue.name, reason, this.clock.now());
    this.route(exchange, queue.spec.deadLetterRoutingKey ?? message.routingKey, message.body, properties, reason);
  }

  private settle(queue: Queue, message: StoredMessage, settlement: Settlement): void {
    if (this.closed) return;
    queue.unacked--;
    if (settlement === 'ack') return;
    if (settlement === 'reject') {
      this.deadLetter(queue, message, 'rejected');
      return;
    }
    queue.requeue(message);
    this.scheduleDispatch(queue);
  }

  // One setImmediate per turn drains every queue that has work: publish never runs a handler in
  // the caller's stack, and a busy pipeline still yields to I/O (health checks, metrics).
  private scheduleDispatch(queue: Queue): void {
    if (queue.dispatchScheduled || this.closed || queue.consumers.length === 0) return;
    queue.dispatchScheduled = true;
    this.pending.push(queue);
    this.immediate ??= setImmediate(this.runDispatch);
  }

  private readonly runDispatch = (): void => {
    this.immediate = undefined;
    const batch = this.pending;
    this.pending = [];
    for (const queue of batch) {
      queue.dispatchScheduled = false;
      while (queue.ready > 0) {
        const consumer = queue.nextConsumer();
        if (consumer === undefined) break;
        const message = queue.take();
        if (message === undefined) break;
        queue.unacked++;
        consumer.deliver(message);
      }
    }
    this.checkIdle();
  };

  private isIdle(): boolean {
    return this.closed || (this.running === 0 && this.pending.length === 0);
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private assertOpen(): void {
    if (this.closed) throw new StokcerdasError(ErrorCodes.TRANSPORT_CLOSED, 'the memory transport is closed; create a new one to publish or consume again');
  }

  private exchangeOrThrow(name: string): MemoryExchange<Queue> {
    const exchange = this.exchanges.get(name);
    if (exchange === undefined) {
      throw new StokcerdasError(ErrorCodes.UNKNOWN_EXCHANGE, `exchange "${name}" does not exist (RabbitMQ: 404 NOT_FOUND); declare it in the topology first`, { exchange: name });
    }
    return exchange;
  }

  private queueOrThrow(name: string): Queue {
    const queue = this.queues.get(name);
    if (queue === undefined) {
      throw new StokcerdasError(ErrorCodes.UNKNOWN_QUEUE, `queue "${name}" does not exist (RabbitMQ: 404 NOT_FOUND); declare it in the topology first`, { queue: name });
    }
    return queue;
  }
}
