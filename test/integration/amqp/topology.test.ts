import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, StokcerdasError } from '../../../runtime/errors.ts';
import { createAmqpTransport, type AmqpTransport } from '../../../runtime/transport/amqp/index.ts';
import { closeConnectionNamed, deleteByPrefix, getBrokerUrl, uniquePrefix, waitFor } from '../../support/broker.ts';

const prefix = uniquePrefix('amqp-topology');
const classic = `${prefix}.classic`;
const exchange = `${prefix}.events`;
const recreated = `${prefix}.recreated`;
let url: string;
let transport: AmqpTransport;

beforeAll(async () => {
  url = await getBrokerUrl();
  transport = createAmqpTransport({ url, reconnect: { initialDelayMs: 50, maxDelayMs: 500 }, publishBufferSize: 100, connectionName: prefix });
  await transport.connect();
});

afterAll(async () => {
  await transport?.close();
  await deleteByPrefix(url, prefix, { queues: [classic, recreated], exchanges: [exchange] });
});

async function caught(p: Promise<unknown>): Promise<StokcerdasError> {
  try {
    await p;
  } catch (err) {
    return err as StokcerdasError;
  }
  throw new Error('expected a rejection');
}

describe('amqp transport: topology (real broker)', () => {
  it('reports PRECONDITION_FAILED as TOPOLOGY_CONFLICT naming the queue, the argument and the fix', async () => {
    await transport.assertTopology({ exchanges: [], queues: [{ name: classic, type: 'classic' }], routes: [] });
    const err = await caught(transport.assertTopology({ exchanges: [], queues: [{ name: classic, type: 'quorum' }], routes: [] }));
    expect(err.code).toBe(ErrorCodes.TOPOLOGY_CONFLICT);
    expect(err.message).toContain(`queue "${classic}"`);
    expect(err.message).toContain('x-queue-type');
    expect(err.message).toMatch(/delete the queue|change the config/);
    expect(err.details).toMatchObject({ kind: 'queue', name: classic, argument: 'x-queue-type', received: 'quorum' });
  });

  it('names the differing argument of an exchange too', async () => {
    await transport.assertTopology({ exchanges: [{ name: exchange, type: 'topic' }], queues: [], routes: [] });
    const err = await caught(transport.assertTopology({ exchanges: [{ name: exchange, type: 'direct' }], queues: [], routes: [] }));
    expect(err.code).toBe(ErrorCodes.TOPOLOGY_CONFLICT);
    expect(err.details).toMatchObject({ kind: 'exchange', name: exchange, argument: 'type', received: 'direct', current: 'topic' });
  });

  it('stays usable after a conflict: publish, consume and declare still work', async () => {
    await transport.assertTopology({ exchanges: [], queues: [{ name: classic, messageTtl: 1000 }], routes: [] }).catch(() => {});
    await transport.assertTopology({ exchanges: [{ name: exchange, type: 'topic' }], queues: [{ name: classic }], routes: [{ exchange, queue: classic, routingKey: 'a.#' }] });
    await transport.publish({ exchange, routingKey: 'a.b', body: Buffer.from('{}'), properties: {} });
    let handled = 0;
    const consumer = await transport.consume(classic, { prefetch: 5, concurrency: 1 }, async () => {
      handled++;
      return 'ack';
    });
    await waitFor(() => handled === 1);
    await consumer.cancel(1000);
    expect((await transport.queueInfo(classic)).messages).toBe(0);
  });

  it('reports a binding to a missing queue as UNKNOWN_QUEUE', async () => {
    const err = await caught(transport.assertTopology({ exchanges: [], queues: [], routes: [{ exchange, queue: `${prefix}.none`, routingKey: 'x' }] }));
    expect(err.code).toBe(ErrorCodes.UNKNOWN_QUEUE);
  });

  it('reports binding the default exchange as TOPOLOGY_CONFLICT, as the memory transport does', async () => {
    await transport.assertTopology({ exchanges: [], queues: [{ name: classic }], routes: [] });
    const err = await caught(transport.assertTopology({ exchanges: [], queues: [], routes: [{ exchange: '', queue: classic, routingKey: 'x' }] }));
    expect(err.code).toBe(ErrorCodes.TOPOLOGY_CONFLICT);
    expect(err.message).toContain('default exchange');
  });

  it('re-declares everything it declared after a reconnect', async (ctx) => {
    await transport.assertTopology({ exchanges: [{ name: exchange, type: 'topic' }], queues: [{ name: recreated, messageTtl: 60_000 }], routes: [{ exchange, queue: recreated, routingKey: 'r.#' }] });
    // deleted behind the transport's back, as a fresh broker node would have lost it
    const conn = await amqp.connect(url);
    await (await conn.createChannel()).deleteQueue(recreated);
    await conn.close();
    const before = transport.status().reconnects;
    const closed = await closeConnectionNamed(prefix).catch(() => 0);
    if (closed === 0) ctx.skip(); // no rabbitmqctl for this broker: covered by test/reliability
    await waitFor(() => transport.status().connected && transport.status().reconnects === before + 1, 15_000);
    await transport.publish({ exchange, routingKey: 'r.1', body: Buffer.from('{}'), properties: {} });
    expect((await transport.queueInfo(recreated)).messages).toBe(1);
  });
});
