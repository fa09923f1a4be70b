import { systemClock, type Clock } from '../../clock/index.ts';
import { ErrorCodes, StokcerdasError } from '../../errors.ts';
import type {
  Consumer, ConsumeOptions, Delivery, DeliveryCallback, DeliveryHandler, ExchangeSpec, MessageProperties, OutgoingMessage,
  QueueInfo, Settlement, TopologySpec, Transport, TransportStatus,
} from '../contract.ts';
import { MemoryConsumer, type ConsumerHost } from './consumer.ts';
import { Dispatcher } from './dispatcher.ts';
import { deadLetterProperties, isDeadLetterCycle, type DeathReason } from './x-death.ts';
import { assertSameExchange, assertSameQueue, normalizeQueueSpec } from './declare.ts';
import { MemoryExchange } from './exchange.ts';
import { DEFAULT_HIGH_WATER_MARK, Flow } from './flow.ts';
import { MemoryQueue, toDelivery, type Payload, type StoredMessage } from './queue.ts';

type Queue = MemoryQueue<MemoryConsumer>;

export interface MemoryTransportOptions {
  /** drives TTL expiry; a VirtualClock makes retries instant in tests */
  clock?: Clock;
  /**
   * Ready messages a queue holds before a publish into it waits for its consumers to take it back
   * down (flow.ts); default 1,000. Publishes are slowed down, never dropped.
   */
  highWaterMark?: number;
}

const NO_QUEUES: readonly Queue[] = [];
const PUBLISHED: Promise<void> = Promise.resolve();

/**
 * An in-process broker with RabbitMQ's semantics (routing, prefetch, TTL at the head of the queue,
 * dead-lettering with x-death, publishers slowed down by full queues), so the runtime core behaves
 * the same here as on RabbitMQ. Not durable: everything is lost with the process. It carries the
 * runtime's own events as objects, not bytes (event-snapshot.ts): each delivery gets a copy of its own.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  readonly durable = false;
  readonly carriesEvents = true;
  private readonly clock: Clock;
  private readonly flow: Flow;
  private readonly dispatcher: Dispatcher;
  private readonly exchanges = new Map<string, MemoryExchange<Queue>>();
  private readonly queues = new Map<string, Queue>();
  private closed = false;
  /** the queues the publish being routed has to wait for (route fills it, released empties it) */
  private readonly held: Queue[] = [];
  private readonly host: ConsumerHost;
  private readonly expire = (queue: Queue, message: StoredMessage): void => this.deadLetter(queue, message, 'expired');

  constructor(options: MemoryTransportOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.flow = new Flow(options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK);
    const dispatcher = (this.dispatcher = new Dispatcher(this.clock, this.flow));
    this.host = {
      settle: (queue, message, settlement) => this.settle(queue, message, settlement),
      handlerStarted: () => dispatcher.handlerStarted(),
      handlerFinished: (queue) => dispatcher.handlerFinished(queue),
      detach: (consumer) => this.queues.get(consumer.queue)?.removeConsumer(consumer),
      answeredAtOnce: (consumer) => dispatcher.answeredAtOnce(consumer),
    };
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

  /** Resolves at once, or once the queues it filled past the high-water mark drained (flow.ts). */
  publish(message: OutgoingMessage): Promise<void> {
    try {
      this.assertOpen();
      this.validate(message);
    } catch (err) {
      return Promise.reject(err);
    }
    this.route(message.exchange, message.routingKey, message.event ?? message.body, message.properties);
    return this.released();
  }

  publishBatch(messages: OutgoingMessage[]): Promise<void> {
    try {
      this.assertOpen();
      // all or nothing: one bad message and none of the batch is enqueued
      for (const message of messages) this.validate(message);
    } catch (err) {
      return Promise.reject(err);
    }
    for (const m of messages) this.route(m.exchange, m.routingKey, m.event ?? m.body, m.properties);
    return this.released();
  }

  /** What the publish just routed waits for: nothing, or the queues it filled past the mark. */
  private released(): Promise<void> {
    const held = this.held;
    if (held.length === 0) return PUBLISHED;
    const drained = this.flow.wait(held);
    held.length = 0;
    return drained;
  }

  consume(queue: string, options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumer>;
  consume(queue: string, options: ConsumeOptions, handler: DeliveryCallback): Promise<Consumer>;
  async consume(queue: string, options: ConsumeOptions, handler: DeliveryCallback): Promise<Consumer> {
    this.assertOpen();
    const source = this.queueOrThrow(queue);
    const consumer = new MemoryConsumer(source, options, handler, this.host);
    source.addConsumer(consumer);
    this.dispatcher.schedule(source);
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
      // what they published is in (and lost with the transport, like everything else here)
      this.flow.release(queue);
    }
    this.dispatcher.close();
  }

  /**
   * Resolves once no handler runs and no ready message waits for a consumer with free capacity.
   * Messages waiting on a TTL do not count: advance the clock for those.
   */
  whenIdle(): Promise<void> {
    return this.dispatcher.whenIdle();
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

  /**
   * Unroutable messages are dropped, as RabbitMQ does without the mandatory flag. A publish notes
   * in `held` the queues it has to wait for; a dead-lettering (`reason`) is the broker's own move
   * and never waits.
   */
  private route(exchange: string, routingKey: string, payload: Payload, properties: MessageProperties, reason?: DeathReason): void {
    const targets = this.targets(exchange, routingKey);
    for (let i = 0; i < targets.length; i++) {
      const queue = targets[i];
      if (reason !== undefined && isDeadLetterCycle(queue.name, reason, properties.headers)) continue;
      queue.enqueue(exchange, routingKey, payload, properties);
      if (queue.consumers.length > 0) this.dispatcher.schedule(queue);
      if (reason === undefined && this.flow.holds(queue)) this.held.push(queue);
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
    this.route(exchange, queue.spec.deadLetterRoutingKey ?? message.routingKey, message.payload, properties, reason);
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
    this.dispatcher.schedule(queue);
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
