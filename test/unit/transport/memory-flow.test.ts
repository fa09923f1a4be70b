import { describe, expect, it } from 'vitest';
import type { Delivery, OutgoingMessage, Settlement } from '../../../runtime/transport/contract.ts';
import { createMemoryTransport, type MemoryTransport } from '../../../runtime/transport/memory/index.ts';

const toQueue = (queue: string, body: string): OutgoingMessage => ({ exchange: '', routingKey: queue, body: Buffer.from(body), properties: {} });

async function withQueue(highWaterMark: number): Promise<MemoryTransport> {
  const transport = createMemoryTransport({ highWaterMark });
  await transport.assertTopology({ exchanges: [], queues: [{ name: 'q' }], routes: [] });
  return transport;
}

/** runs the microtasks queued so far, but no setImmediate: no dispatch turn happens meanwhile */
const microtasks = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** publishes without waiting, tracking which publishes have resolved and what the queue held then */
function burst(transport: MemoryTransport, count: number) {
  const resolved: boolean[] = new Array<boolean>(count).fill(false);
  const readyWhenResolved: number[] = [];
  const all = Array.from({ length: count }, (_, i) =>
    transport.publish(toQueue('q', `m${i}`)).then(() => {
      resolved[i] = true;
      readyWhenResolved.push(transport.listQueues().find((q) => q.name === 'q')!.messages);
    }),
  );
  return { resolved, readyWhenResolved, done: Promise.all(all) };
}

describe('memory transport back-pressure', () => {
  it('holds a publish that fills a queue past the mark until its consumers took it back down, and loses nothing', async () => {
    const transport = await withQueue(2);
    const got: string[] = [];
    await transport.consume('q', { prefetch: 1, concurrency: 1 }, (d): Settlement => {
      got.push(d.body.toString());
      return 'ack';
    });
    const { resolved, readyWhenResolved, done } = burst(transport, 8);
    await microtasks();
    // two fit under the mark; from the third on the queue holds more than 2 ready messages
    expect(resolved).toEqual([true, true, false, false, false, false, false, false]);
    await done;
    expect(readyWhenResolved.slice(2).every((ready) => ready <= 2)).toBe(true);
    await transport.whenIdle();
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    await transport.close();
  });

  it('never holds a publish to a queue without consumers', async () => {
    const transport = await withQueue(1);
    const { resolved, done } = burst(transport, 20);
    await microtasks();
    expect(resolved.every(Boolean)).toBe(true);
    await done;
    expect((await transport.queueInfo('q')).messages).toBe(20);
    await transport.close();
  });

  it('never holds a publish to a queue whose consumers are all at their limit', async () => {
    const transport = await withQueue(1);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    const got: string[] = [];
    await transport.consume('q', { prefetch: 1, concurrency: 1 }, async (d: Delivery): Promise<Settlement> => {
      got.push(d.body.toString());
      await held;
      return 'ack';
    });
    await transport.publish(toQueue('q', 'first'));
    // one turn: the consumer takes 'first' and holds it
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['first']);
    const { resolved, done } = burst(transport, 10);
    await microtasks();
    expect(resolved.every(Boolean)).toBe(true);
    await done;
    release();
    await transport.whenIdle();
    expect(got).toHaveLength(11);
    await transport.close();
  });

  it('releases a held publish when its consumers stop taking messages, so a handler publishing into its own queue cannot deadlock', async () => {
    const transport = await withQueue(1);
    let handled = 0;
    let republished = 0;
    await transport.consume('q', { prefetch: 2, concurrency: 2 }, async (): Promise<Settlement> => {
      handled++;
      // every handler waits on a publish into the queue it consumes, as an outbox does
      if (republished < 30) {
        republished++;
        await transport.publish(toQueue('q', 'again'));
      }
      return 'ack';
    });
    await Promise.all(Array.from({ length: 5 }, (_, i) => transport.publish(toQueue('q', `m${i}`))));
    await transport.whenIdle();
    expect(handled).toBe(35);
    expect((await transport.queueInfo('q')).messages).toBe(0);
    await transport.close();
  });

  it('releases a held publish once the queue has no consumer left to drain it', async () => {
    const transport = await withQueue(1);
    const consumer = await transport.consume('q', { prefetch: 1, concurrency: 1 }, (): Settlement => 'ack');
    const { resolved, done } = burst(transport, 4);
    await microtasks();
    expect(resolved).toEqual([true, false, false, false]);
    // gone before its first turn: the turn finds nobody to deliver to and lets the publishes go
    await consumer.cancel();
    await done;
    expect((await transport.queueInfo('q')).messages).toBe(4);
    await transport.close();
  });

  it('throttles a batch like single publishes', async () => {
    const transport = await withQueue(2);
    let count = 0;
    await transport.consume('q', { prefetch: 1, concurrency: 1 }, (): Settlement => {
      count++;
      return 'ack';
    });
    let resolved = false;
    const batch = transport.publishBatch(Array.from({ length: 5 }, (_, i) => toQueue('q', `b${i}`))).then(() => (resolved = true));
    await microtasks();
    expect(resolved).toBe(false);
    await batch;
    await transport.whenIdle();
    expect(count).toBe(5);
    await transport.close();
  });

  it('lets a held publish go when the transport closes', async () => {
    const transport = await withQueue(1);
    await transport.consume('q', { prefetch: 1, concurrency: 1 }, (): Settlement => 'ack');
    const { resolved, done } = burst(transport, 4);
    await microtasks();
    expect(resolved.some((r) => !r)).toBe(true);
    await transport.close();
    await done;
    expect(resolved.every(Boolean)).toBe(true);
  });
});
