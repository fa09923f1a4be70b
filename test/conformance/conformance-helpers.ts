import { afterEach, beforeEach, expect, vi } from 'vitest';
import { isStokcerdasError, type ErrorCode, type StokcerdasError } from '../../runtime/errors.ts';
import type { Consumer, Delivery, MessageProperties, OutgoingMessage, Settlement, TopologySpec, Transport } from '../../runtime/transport/contract.ts';

/** Real-time polling budget: generous for a loaded CI broker, short TTLs keep the suite quick. */
export const WAIT = { timeout: 5_000, interval: 20 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function message(exchange: string, routingKey: string, body: string | Buffer, properties: MessageProperties = {}): OutgoingMessage {
  return { exchange, routingKey, body: typeof body === 'string' ? Buffer.from(body) : body, properties };
}

/** Takes (and acks) messages off `queue` with basic.get until at least `count` arrived. */
export async function collect(transport: Transport, queue: string, count: number): Promise<Delivery[]> {
  const got: Delivery[] = [];
  await vi.waitFor(async () => {
    for (;;) {
      const next = await transport.get(queue);
      if (next === null) break;
      got.push(next.delivery);
      await next.settle('ack');
    }
    if (got.length < count) throw new Error(`${queue}: ${got.length} of ${count} messages so far`);
  }, WAIT);
  return got;
}

export const bodies = (deliveries: Delivery[]): string[] => deliveries.map((d) => d.body.toString());

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<StokcerdasError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStokcerdasError(error, code), `expected a StokcerdasError ${code}, got ${String(error)}`).toBe(true);
  return error as StokcerdasError;
}

/**
 * A handler that holds every delivery until released, tracking how many it holds at once:
 * what a slow handler looks like to the broker.
 */
export function holdingHandler(): {
  handler: (d: Delivery) => Promise<Settlement>;
  held: () => number;
  maxHeld: () => number;
  handled: Delivery[];
  release: () => void;
} {
  let active = 0;
  let max = 0;
  let released = false;
  const waiting: Array<() => void> = [];
  const handled: Delivery[] = [];
  return {
    handled,
    held: () => active,
    maxHeld: () => max,
    release: () => {
      released = true;
      for (const resume of waiting.splice(0)) resume();
    },
    handler: async (delivery) => {
      active++;
      max = Math.max(max, active);
      if (!released) await new Promise<void>((resolve) => waiting.push(resolve));
      active--;
      handled.push(delivery);
      return 'ack';
    },
  };
}

export interface ConformanceContext {
  /** connected, ready to declare topology */
  transport: Transport;
  /** every exchange and queue a test declares starts with `${prefix}.` */
  prefix: string;
  /** accepted for symmetry with the fake bus; the suite runs on real time so it also fits RabbitMQ */
  advance?(ms: number): Promise<void>;
  /** closes the transport and removes whatever the test declared */
  cleanup(): Promise<void>;
}

export interface ConformanceFactory {
  create(): Promise<ConformanceContext>;
}

/** What every conformance test works with: a fresh transport and names of its own. */
export interface ConformanceScope {
  readonly t: Transport;
  /** a name unique to the running test, under the factory's prefix */
  n(suffix: string): string;
  declare(spec: Partial<TopologySpec>): Promise<void>;
  /** consume, cancelled again after the test */
  consume(queue: string, prefetch: number, concurrency: number, handler: (d: Delivery) => Promise<Settlement>): Promise<Consumer>;
  /** a holding handler released after the test even if the test fails */
  holding(): ReturnType<typeof holdingHandler>;
}

/** Registers the per-test lifecycle (fresh transport, cleanup) in the enclosing describe. */
export function conformanceScope(factory: ConformanceFactory): ConformanceScope {
  let ctx: ConformanceContext;
  let consumers: Consumer[] = [];
  let releases: Array<() => void> = [];
  let seq = 0;
  let id = '';

  beforeEach(async () => {
    id = String(++seq);
    consumers = [];
    releases = [];
    ctx = await factory.create();
  });

  afterEach(async () => {
    for (const release of releases) release();
    await Promise.all(consumers.map((c) => c.cancel(1_000).catch(() => undefined)));
    await ctx.cleanup();
  });

  return {
    get t() {
      return ctx.transport;
    },
    n: (suffix) => `${ctx.prefix}.t${id}.${suffix}`,
    declare: (spec) =>
      ctx.transport.assertTopology({ exchanges: spec.exchanges ?? [], queues: spec.queues ?? [], routes: spec.routes ?? [] }),
    async consume(queue, prefetch, concurrency, handler) {
      const consumer = await ctx.transport.consume(queue, { prefetch, concurrency }, handler);
      consumers.push(consumer);
      return consumer;
    },
    holding() {
      const h = holdingHandler();
      releases.push(h.release);
      return h;
    },
  };
}
