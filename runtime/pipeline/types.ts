import type { Logger } from 'pino';
import type { Delivery, Settlement, HeaderValue } from '../transport/contract.ts';
import type { CloudEventWire, PublishOptions, StokEvent } from '../events/types.ts';
import type { HandlerDefinition } from '../plugins/types.ts';
import type { MaybePromise } from './maybe-async.ts';

/** One handler bound to a queue, as the pipeline runs it (names are full broker names). */
export interface HandlerBinding {
  /** `plugin/handler` */
  key: string;
  plugin: string;
  handler: string;
  definition: HandlerDefinition;
  pluginFile?: string;
  queue: string;
  routingKeys: string[];
  mode: 'inline' | 'worker';
  retry: { maxAttempts: number; delayMs: number; multiplier: number; maxDelayMs: number };
  timeoutMs: number;
  batch?: { size: number; flushMs: number };
  options: unknown;
  logger: Logger;
}

/** One delivery on its way through the delivery-level middleware. */
export interface DeliveryContext {
  delivery: Delivery;
  /** full queue name the delivery came from */
  queue: string;
  /** 1 on first delivery; from the `x-attempts` header on retries */
  attempt: number;
  /** the routing key the event was first published with (retries travel via the default exchange) */
  routingKey: string;
  /** set by decode + enrich */
  event?: StokEvent;
  /** set by dispatch: which handlers this delivery runs (retries name only the ones that failed) */
  handlers?: HandlerBinding[];
  receivedAt: number;
}

export type DeliveryStep = (ctx: DeliveryContext) => MaybePromise<Settlement>;
export type Middleware = (next: DeliveryStep) => DeliveryStep;

/** An event a handler asked to publish, held until the handler succeeds (outbox). */
export interface PendingPublish {
  type: string;
  data: unknown;
  options?: PublishOptions;
}

/** One handler call: a single event, or an array for batch handlers. */
export interface HandlerCall {
  binding: HandlerBinding;
  events: StokEvent[];
  attempt: number;
  outbox: PendingPublish[];
  signal: AbortSignal;
  abort(reason: unknown): void;
}

export type HandlerStep = (call: HandlerCall) => MaybePromise<void>;
export type HandlerMiddleware = (next: HandlerStep) => HandlerStep;

/** Creates a call whose AbortController exists only if someone reads `signal` (most handlers never do). */
export function createCall(binding: HandlerBinding, events: StokEvent[], attempt: number): HandlerCall {
  return new Call(binding, events, attempt);
}

class Call implements HandlerCall {
  outbox: PendingPublish[] = [];
  private controller: AbortController | undefined;
  private aborted = false;
  private reason: unknown;
  constructor(
    readonly binding: HandlerBinding,
    public events: StokEvent[],
    readonly attempt: number,
  ) {}
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
  abort(why: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = why;
    this.controller?.abort(why);
  }
}

/** A handler failed: carries which one, so recover can apply its retry policy. */
export class HandlerFailure extends Error {
  readonly binding: HandlerBinding;
  /** other handlers of the same delivery that failed too (shared queue) */
  others: HandlerBinding[] = [];
  constructor(binding: HandlerBinding, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'HandlerFailure';
    this.binding = binding;
  }
}

/** Observers: metrics and the fake bus's lists hang off these. All optional, all synchronous. */
export interface PipelineHooks {
  consumed?(event: StokEvent, binding: HandlerBinding, attempt: number): void;
  handled?(binding: HandlerBinding, durationMs: number, outcome: 'success' | 'failure', batchSize: number): void;
  failed?(event: StokEvent | CloudEventWire | undefined, binding: HandlerBinding | undefined, error: unknown, attempt: number): void;
  retried?(ctx: DeliveryContext, binding: HandlerBinding, delayMs: number): void;
  deadLettered?(info: { event?: CloudEventWire; queue: string; headers: Record<string, HeaderValue>; body: Buffer }): void;
  received?(ctx: DeliveryContext): void;
  settled?(ctx: DeliveryContext, settlement: Settlement, durationMs: number): void;
  deduplicated?(event: StokEvent, binding: HandlerBinding): void;
  batchFlushed?(binding: HandlerBinding, size: number, reason: 'size' | 'time' | 'drain', waitedMs: number): void;
  /** an event this host published was confirmed */
  published?(event: StokEvent): void;
}
