import pino from 'pino';
import type { BusinessContext, CloudEventWire, StokEvent } from '../../../../runtime/events/types.ts';
import type { HandlerDefinition } from '../../../../runtime/plugins/types.ts';
import type { Delivery, MessageProperties } from '../../../../runtime/transport/contract.ts';
import { createCall, type DeliveryContext, type HandlerBinding, type HandlerCall } from '../../../../runtime/pipeline/types.ts';

/** Stand-ins for what the host hands the middleware, so each one runs alone under `compose`. */
export const silent = pino({ level: 'silent' });

export const plainContext: BusinessContext = {
  timezone: 'Asia/Jakarta',
  geographicContext: { timeZone: 'WIB' },
  businessHours: true,
  ramadanSeason: false,
  culturalFactors: { seasonalFactor: 1 },
};

export function bindingOf(over: Partial<HandlerBinding> = {}): HandlerBinding {
  const definition: HandlerDefinition = { subscribe: { routingKeys: ['orders.order.created'] }, handle: () => undefined };
  return {
    key: 'probe/watch',
    plugin: 'probe',
    handler: 'watch',
    definition,
    queue: 'p.probe.watch',
    routingKeys: ['orders.order.created'],
    mode: 'inline',
    retry: { maxAttempts: 3, delayMs: 1000, multiplier: 2, maxDelayMs: 60_000 },
    timeoutMs: 5000,
    options: {},
    logger: silent,
    ...over,
  };
}

export function wireEvent(over: Partial<CloudEventWire> = {}): CloudEventWire {
  return {
    specversion: '1.0',
    id: 'e-1',
    source: 'test',
    type: 'orders.order.created',
    time: '2026-01-05T03:00:00.000Z',
    datacontenttype: 'application/json',
    data: { orderData: { id: 'O-1' } },
    ...over,
  };
}

export function eventOf(over: Partial<CloudEventWire> = {}): StokEvent {
  return { ...wireEvent(over), context: plainContext } as StokEvent;
}

export function deliveryOf(body: unknown, properties: MessageProperties = {}): Delivery {
  return {
    body: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    exchange: 'p.orders.events',
    routingKey: 'orders.order.created',
    queue: 'p.probe.watch',
    properties: { contentType: 'application/cloudevents+json', ...properties },
    redelivered: false,
  };
}

export function contextOf(delivery: Delivery, over: Partial<DeliveryContext> = {}): DeliveryContext {
  return { delivery, queue: delivery.queue, attempt: 1, routingKey: delivery.routingKey, receivedAt: 1_000, ...over };
}

export function callOf(binding: HandlerBinding = bindingOf(), events: StokEvent[] = [eventOf()], attempt = 1): HandlerCall {
  return createCall(binding, events, attempt);
}

/** Resolves after queued promise callbacks have run. */
export const flushPromises = () => new Promise<void>((resolve) => setImmediate(resolve));
