// Cuts every connection on the broker (rabbitmqctl): runs alone, via vitest.reliability.config.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAmqpTransport, type AmqpTransport } from '../../runtime/transport/amqp/index.ts';
import { deleteByPrefix, getBrokerUrl, rabbitmqctl, uniquePrefix, waitFor } from '../support/broker.ts';

const prefix = uniquePrefix('amqp-faults');
const queues = [`${prefix}.a`, `${prefix}.b`];
let url: string;
let transport: AmqpTransport;

beforeAll(async () => {
  url = await getBrokerUrl();
  transport = createAmqpTransport({ url, connectionName: prefix, reconnect: { initialDelayMs: 200, maxDelayMs: 3_000 }, publishBufferSize: 50_000 });
  await transport.connect();
  await transport.assertTopology({ exchanges: [], queues: queues.map((name) => ({ name })), routes: [] });
});

afterAll(async () => {
  await transport?.close();
  await deleteByPrefix(url, prefix, { queues });
});

/** Publishes `total` messages round-robin over the queues, `window` confirms in flight, awaiting `at(i)` as it goes. */
async function stream(total: number, window: number, at: (i: number) => Promise<void> | void): Promise<void> {
  let inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    await at(i);
    const queue = queues[i % queues.length];
    inflight.push(transport.publish({ exchange: '', routingKey: queue, body: Buffer.from(`{"i":${i}}`), properties: { messageId: `m-${i}` } }));
    if (inflight.length >= window) {
      await Promise.all(inflight);
      inflight = [];
    }
  }
  await Promise.all(inflight);
}

async function runThroughFault(label: string, total: number, fault: () => Promise<unknown>) {
  const seen = new Map<string, number>();
  const consumers = await Promise.all(
    queues.map((q) =>
      transport.consume(q, { prefetch: 100, concurrency: 8 }, async (d) => {
        const id = d.properties.messageId ?? '?';
        seen.set(id, (seen.get(id) ?? 0) + 1);
        return 'ack';
      }),
    ),
  );
  const reconnectsBefore = transport.status().reconnects;
  let faulted: Promise<unknown> | undefined;
  let issued = 0;
  let issuedAtCut = -1;
  const offCut = transport.onStatusChange((st) => {
    if (!st.connected && issuedAtCut < 0) issuedAtCut = issued;
  });
  try {
    await stream(total, 200, async (i) => {
      issued = i;
      if (i === 2_000 + 77) faulted = fault(); // not on a window boundary: publishes are in flight at the cut
      // rabbitmqctl needs ~1 s to act: publish slowly until the cut lands, so it lands mid-stream
      if (faulted && issuedAtCut < 0 && i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    });
    await faulted;
    // the cut must land mid-stream, or this test proves nothing
    expect(issuedAtCut).toBeGreaterThan(0);
    expect(issuedAtCut).toBeLessThan(total - 5_000);
    await waitFor(() => seen.size === total, 60_000, `${label}: every message handled`);
    await waitFor(() => transport.status().reconnects > reconnectsBefore, 30_000, `${label}: reconnected`);
    // one broker consumer per registration after the reconnect: none doubled, none forgotten
    for (const q of queues) expect((await transport.queueInfo(q)).consumers).toBe(1);
  } finally {
    offCut();
    await Promise.all(consumers.map((c) => c.cancel(5_000)));
  }
  for (const q of queues) expect(await transport.queueInfo(q)).toMatchObject({ messages: 0, consumers: 0 });
  const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
  console.log(`${label}: ${total} messages, cut after ${issuedAtCut} published, ${duplicates} duplicates, ${transport.status().reconnects} reconnects`);
  // duplicates come only from the unacked window (prefetch × consumers) and re-sent unconfirmed publishes
  expect(duplicates).toBeLessThan(2 * 100 + 200 + 1);
  return seen;
}

describe('amqp transport under broker faults (real broker, runs alone)', () => {
  it('re-establishes consumers and loses nothing when every connection is closed mid-stream', async () => {
    await runThroughFault('close_all_connections', 20_000, () => rabbitmqctl('close_all_connections', 'stokcerdas reliability test'));
  });

  it('survives a broker application restart (stop_app / start_app) mid-stream', async () => {
    await runThroughFault('stop_app/start_app', 20_000, async () => {
      await rabbitmqctl('stop_app');
      await new Promise((r) => setTimeout(r, 1_000));
      await rabbitmqctl('start_app');
    });
  });
});
