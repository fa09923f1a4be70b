/**
 * The one transport contract. Both implementations (memory, amqp) pass the same
 * conformance suite in test/conformance. Names here are full broker names: the prefix is added
 * by the topology layer, never by a transport.
 */

export type ExchangeType = 'topic' | 'direct' | 'fanout';
export type QueueType = 'classic' | 'quorum';

export interface ExchangeSpec {
  name: string;
  type: ExchangeType;
}

export interface QueueSpec {
  name: string;
  type?: QueueType;
  /** x-message-ttl: every message expires after this many ms (retry wait queues) */
  messageTtl?: number;
  /** x-dead-letter-exchange: '' is the default exchange */
  deadLetterExchange?: string;
  /** x-dead-letter-routing-key */
  deadLetterRoutingKey?: string;
  /** x-max-priority (classic queues only) */
  maxPriority?: number;
  /** x-dead-letter-strategy (quorum queues): at-least-once keeps a dead letter until its target confirms it */
  deadLetterStrategy?: 'at-least-once' | 'at-most-once';
  /** x-overflow; at-least-once dead-lettering needs reject-publish */
  overflow?: 'reject-publish' | 'drop-head';
  /** x-delivery-limit (quorum queues): deliveries before the broker dead-letters a message itself */
  deliveryLimit?: number;
}

/**
 * One route from an exchange to a queue by routing key (what AMQP declares with queue.bind). Called
 * a route here: in this project a "binding" is a handler bound to its queue.
 */
export interface RouteSpec {
  exchange: string;
  queue: string;
  routingKey: string;
}

export interface TopologySpec {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  routes: RouteSpec[];
}

export type HeaderValue = string | number | boolean | null | undefined | HeaderValue[] | { [k: string]: HeaderValue };

/** AMQP basic properties, mirrored by the memory transport. */
export interface MessageProperties {
  messageId?: string;
  type?: string;
  timestamp?: number;
  correlationId?: string;
  contentType?: string;
  priority?: number;
  /** per-message TTL in ms */
  expiration?: number;
  appId?: string;
  persistent?: boolean;
  headers?: Record<string, HeaderValue>;
}

/**
 * An event a transport carries instead of its bytes (event-snapshot.ts makes them): what the
 * bytes would decode to, kept by the transport and handed out only as copies.
 */
export interface CarriedEvent {
  /** the bytes it stands for, encoded on first read */
  readonly body: Buffer;
  /** a copy of its own for one delivery */
  copy(): Record<string, unknown>;
  /** who found it valid when it was published (opaque), or undefined */
  readonly validatedBy: unknown;
}

export interface OutgoingMessage {
  /** '' is the default exchange: routing key = queue name */
  exchange: string;
  routingKey: string;
  body: Buffer;
  properties: MessageProperties;
  /**
   * The event itself, for a transport that `carriesEvents`: it keeps this instead of the bytes, and
   * `body` encodes it on first read. A transport carrying bytes reads `body` alone.
   */
  event?: CarriedEvent;
}

export interface Delivery {
  body: Buffer;
  exchange: string;
  routingKey: string;
  queue: string;
  properties: MessageProperties;
  redelivered: boolean;
  /**
   * What `body` decodes to, when the transport carried the event instead of bytes: a copy of this
   * delivery's own, which the receiver may change without another delivery seeing it.
   */
  readonly event?: Record<string, unknown>;
  /** who checked `event` when it was published (opaque): the same checker need not check it again */
  readonly eventValidatedBy?: unknown;
}

/**
 * How the consumer settles a delivery. `reject` (not `nack`) is the failure path so quorum-queue
 * delivery limits count; `requeue` puts it back for another try (used when a hand-off failed).
 */
export type Settlement = 'ack' | 'reject' | 'requeue';

export type DeliveryHandler = (delivery: Delivery) => Promise<Settlement>;
/** What consume() takes: the runtime's pipeline settles synchronously when nothing in it waits. */
export type DeliveryCallback = (delivery: Delivery) => Settlement | Promise<Settlement>;

export interface ConsumeOptions {
  /** broker-side bound on unacked deliveries */
  prefetch: number;
  /** how many deliveries the handler runs at once (≤ prefetch) */
  concurrency: number;
}

export interface Consumer {
  readonly queue: string;
  /** stop receiving new deliveries and wait for in-flight ones up to `deadlineMs` */
  cancel(deadlineMs?: number): Promise<void>;
}

export interface QueueInfo {
  name: string;
  /** ready messages (AMQP's declare-ok count): deliveries unacked by a consumer are not included */
  messages: number;
  consumers: number;
}

export interface TransportStatus {
  connected: boolean;
  reconnects: number;
  bufferedPublishes: number;
  /** the broker node connected to (`host:port`); absent while disconnected or on the memory transport */
  node?: string;
  /** how often the connection moved to another node than the one before */
  failovers?: number;
}

export interface Transport {
  readonly kind: 'memory' | 'amqp';
  /** false for memory: the host says so at start-up */
  readonly durable: boolean;
  /**
   * true when publish takes an OutgoingMessage's `event` instead of its bytes (memory): the
   * publisher then skips the JSON encoding, and the consumer the decoding. Absent means false.
   */
  readonly carriesEvents?: boolean;
  connect(): Promise<void>;
  /** idempotent; re-applied by the transport after every reconnect */
  assertTopology(topology: TopologySpec): Promise<void>;
  /** resolves only once the broker confirmed the message */
  publish(message: OutgoingMessage): Promise<void>;
  /** one confirm wait for the whole batch */
  publishBatch(messages: OutgoingMessage[]): Promise<void>;
  consume(queue: string, options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumer>;
  consume(queue: string, options: ConsumeOptions, handler: DeliveryCallback): Promise<Consumer>;
  /** take one message off a queue (settled by the caller): DLQ inspection and replay */
  get(queue: string): Promise<{ delivery: Delivery; settle(s: Settlement): Promise<void> } | null>;
  queueInfo(queue: string): Promise<QueueInfo>;
  purge(queue: string): Promise<number>;
  status(): TransportStatus;
  /**
   * Which queues have a consumer registered with the broker (what /readyz checks). A transport
   * without the notion (memory: a consumer is registered the moment it is created) leaves it out.
   */
  consumerStates?(): Array<{ queue: string; consuming: boolean }>;
  /** wait for outstanding confirms, then close */
  close(): Promise<void>;
}
