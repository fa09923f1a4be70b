import { expect, vi } from 'vitest';
import { isStokcerdasError, type ErrorCode, type StokcerdasError } from '../../runtime/errors.ts';
import type { Delivery, MessageProperties, OutgoingMessage, Settlement, Transport } from '../../runtime/transport/contract.ts';

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
