import type { Logger } from 'pino';
import type { Clock } from '../clock/index.ts';
import type { ContextProvider } from '../context/provider.ts';
import type { SchemaRegistry } from '../events/schemas.ts';
import type { DeliveryCallback, OutgoingMessage } from '../transport/contract.ts';
import { BatchRegistry, batch } from './batch.ts';
import { compose } from './compose.ts';
import { decode } from './decode.ts';
import { dedupe } from './dedupe.ts';
import type { DedupeStore } from './dedupe-store.ts';
import { dispatch } from './dispatch.ts';
import { enrich } from './enrich.ts';
import { invoke, type CallRunner } from './invoke.ts';
import { measure } from './measure.ts';
import { outbox, type OutboxPublisher } from './outbox.ts';
import { recover } from './recover.ts';
import { timeout } from './timeout.ts';
import type { DeliveryStep, HandlerBinding, HandlerCall, HandlerStep, PipelineHooks } from './types.ts';

export interface PipelineDeps {
  registry: SchemaRegistry;
  provider: ContextProvider;
  dedupeStore: DedupeStore;
  publisher: OutboxPublisher;
  /** raw publish for retry and dead-letter copies */
  publishRaw(message: OutgoingMessage): Promise<void>;
  deadLetterExchange: string;
  defaultRetry: HandlerBinding['retry'];
  host: string;
  clock: Clock;
  hooks: PipelineHooks;
  logger: Logger;
  invokerFor(call: HandlerCall): CallRunner;
  resolve<T>(name: string): T;
  batches: BatchRegistry;
}

/** The whole path of one delivery, top to bottom. */
export function buildPipeline(handlers: HandlerBinding[], deps: PipelineDeps): DeliveryStep {
  const now = () => deps.clock.now();
  return compose<DeliveryStep>(
    measure(deps.hooks, now), //                   every outcome reported
    recover({ ...deps, publish: deps.publishRaw, now }), // throw / timeout → wait queue or DLQ, with headers
    decode(deps.registry, now), //                 not JSON / not a CloudEvent / fails its schema → poison
    enrich(deps.provider), //                      business context for the event's own time
  )(dispatch(handlers.map((binding) => ({ binding, run: buildHandlerStep(binding, deps) })), deps.logger));
}

/** What runs for each handler a delivery reaches. */
export function buildHandlerStep(binding: HandlerBinding, deps: PipelineDeps): HandlerStep {
  return compose<HandlerStep>(
    dedupe(deps.dedupeStore, deps.hooks), //         (handler, event id) seen → skip
    ...(binding.batch ? [batch(binding.batch, deps.clock, deps.hooks, deps.batches)] : []), // arrays for batch handlers
    outbox(deps.publisher), //                        emitted events go out after success, before the ack
    timeout(deps.clock), //                           past timeoutMs → HandlerTimeoutError, signal aborted
  )(invoke(deps));
}

/** Adapts the pipeline to the transport's consumer callback. */
export function toDeliveryHandler(step: DeliveryStep, queue: string, now: () => number): DeliveryCallback {
  return (delivery) => {
    const headers = delivery.properties.headers;
    const attempts = headers?.['x-attempts'];
    const original = headers?.['x-original-routing-key'];
    return step({
      delivery,
      queue,
      attempt: (typeof attempts === 'number' ? attempts : Number(attempts ?? 0) || 0) + 1,
      routingKey: typeof original === 'string' ? original : delivery.routingKey,
      receivedAt: now(),
    });
  };
}

export { BatchRegistry } from './batch.ts';
export { MemoryDedupeStore, type DedupeStore } from './dedupe-store.ts';
export { inlineInvoker, type Invoker, type CallRunner } from './invoke.ts';
export type { HandlerBinding, PipelineHooks, HandlerCall, DeliveryContext } from './types.ts';
export { HandlerFailure } from './types.ts';
