import { EventEmitter } from 'node:events';
import type { ChannelModel } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { configFromEnv, readEnvOverlay } from '../../../config/env.ts';
import { configSchema } from '../../../config/schema.ts';
import { readinessOf } from '../../../runtime/http/readiness.ts';
import { Metrics } from '../../../runtime/observability/metrics.ts';
import type { Transport, TransportStatus } from '../../../runtime/transport/contract.ts';
import { buildTopology } from '../../../runtime/topology/build.ts';
import { brokerUrls, selectTransportKind } from '../../../runtime/transport/index.ts';
import { nodeOf } from '../../../runtime/transport/amqp/connection-options.ts';
import { queueArguments } from '../../../runtime/transport/amqp/properties.ts';
import { Publisher } from '../../../runtime/transport/amqp/confirm-publisher.ts';
import { TopologyRegistry } from '../../../runtime/transport/amqp/topology.ts';

describe('several broker nodes', () => {
  it('reads RABBITMQ_URLS as a comma-separated list beside RABBITMQ_URL', () => {
    const config = configFromEnv({ RABBITMQ_URLS: ' amqp://a:5681 , amqp://b:5682,,amqp://c:5683 ' });
    expect(config.broker?.urls).toEqual(['amqp://a:5681', 'amqp://b:5682', 'amqp://c:5683']);
    expect(readEnvOverlay({ RABBITMQ_URLS: ' , ' }).problems).toEqual([{ path: 'RABBITMQ_URLS', message: 'expected comma-separated amqp:// URLs' }]);
  });

  it('tries broker.url first, then broker.urls, each node once', () => {
    expect(brokerUrls({ url: 'amqp://a', urls: ['amqp://b', 'amqp://a', 'amqp://c'] })).toEqual(['amqp://a', 'amqp://b', 'amqp://c']);
    expect(brokerUrls({ urls: ['amqp://b'] })).toEqual(['amqp://b']);
    const config = configSchema.parse({ broker: { urls: ['amqp://b'] } });
    expect(selectTransportKind(config)).toBe('amqp');
    expect(() => configSchema.parse({ broker: { urls: [] } })).toThrow();
  });

  it('names a node by host and port, never with its credentials', () => {
    expect(nodeOf('amqp://user:secret@10.0.0.7:5682/%2F')).toBe('10.0.0.7:5682');
    expect(nodeOf('amqps://rabbit1')).toBe('rabbit1:5671');
    expect(nodeOf({ url: 'amqp://rabbit2' })).toBe('rabbit2:5672');
  });
});

describe('which node, and how often the host moved', () => {
  it('shows the node and the fail-overs in the metrics and in /readyz, and no node while disconnected', async () => {
    let status: TransportStatus = { connected: true, reconnects: 2, bufferedPublishes: 0, node: '127.0.0.1:5682', failovers: 1 };
    const metrics = new Metrics({ status: () => status });
    let text = await metrics.text();
    expect(text).toMatch(/^stokcerdas_broker_failovers_total 1$/m);
    expect(text).toContain('stokcerdas_broker_node{node="127.0.0.1:5682"} 1');
    const transport = { status: () => status } as unknown as Transport;
    expect(readinessOf('running', transport)).toMatchObject({ ready: true, node: '127.0.0.1:5682', failovers: 1 });
    status = { connected: false, reconnects: 2, bufferedPublishes: 0, failovers: 1 };
    text = await metrics.text();
    expect(text).not.toContain('stokcerdas_broker_node{');
    expect(readinessOf('running', transport)).toMatchObject({ ready: false, status: 'disconnected', failovers: 1 });
    expect(readinessOf('running', transport).node).toBeUndefined();
  });
});

describe('quorum queue arguments', () => {
  const binding = { exchange: 'inventory.events', routingKeys: ['inventory.#'], queue: 'probe.watch', retry: { maxAttempts: 3, delayMs: 1000, multiplier: 2, maxDelayMs: 3000 } };
  const args = (queueType: 'classic' | 'quorum', name: string, deliveryLimit?: number) => {
    const spec = buildTopology([binding], deliveryLimit === undefined ? { prefix: 'sc', queueType } : { prefix: 'sc', queueType, deliveryLimit });
    const q = spec.queues.find((x) => x.name === name);
    if (!q) throw new Error(`no ${name}`);
    return queueArguments(q);
  };

  it('dead-letters at least once from work queues, with reject-publish and a delivery limit', () => {
    expect(args('quorum', 'sc.probe.watch')).toEqual({
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': 'sc.dlx',
      'x-dead-letter-routing-key': 'sc.probe.watch',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
      'x-delivery-limit': 20,
    });
    expect(args('quorum', 'sc.probe.watch', 7)['x-delivery-limit']).toBe(7);
  });

  it('dead-letters at least once from the wait queues back to the work queue', () => {
    expect(args('quorum', 'sc.probe.watch.retry.1000ms')).toEqual({
      'x-queue-type': 'quorum',
      'x-message-ttl': 1000,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'sc.probe.watch',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
  });

  it('gives DLQs no delivery limit (dlq show requeues) and classic queues none of it', () => {
    expect(args('quorum', 'sc.probe.watch.dlq')).toEqual({ 'x-queue-type': 'quorum' });
    expect(args('classic', 'sc.probe.watch')).toEqual({ 'x-queue-type': 'classic', 'x-dead-letter-exchange': 'sc.dlx', 'x-dead-letter-routing-key': 'sc.probe.watch' });
  });
});

/** A confirm channel that nacks every publish (a channel whose quorum leader was lost) or acks it. */
class FakeChannel extends EventEmitter {
  published = 0;
  closed = false;
  constructor(private readonly nack: boolean) {
    super();
  }
  publish(_x: string, _k: string, _b: Buffer, _o: unknown, cb: (err: unknown) => void): boolean {
    if (this.closed) throw new Error('Channel closed');
    this.published++;
    setImmediate(() => cb(this.nack ? new Error('message nacked') : null));
    return true;
  }
  async close(): Promise<void> {
    this.closed = true;
    setImmediate(() => this.emit('close'));
  }
}

describe('publisher and a run of nacks', () => {
  it('reopens the channel after a run of nacks and resends the nacked messages on the new one', async () => {
    const channels: FakeChannel[] = [];
    const connection = {
      async createConfirmChannel() {
        const ch = new FakeChannel(channels.length === 0);
        channels.push(ch);
        return ch;
      },
    } as unknown as ChannelModel;
    const publisher = new Publisher({ bufferSize: 100, registry: new TopologyRegistry(), checkExchange: async () => {} });
    await publisher.attach(connection);
    const message = { exchange: '', routingKey: 'q', body: Buffer.from('x'), properties: {} };
    await Promise.all(Array.from({ length: 10 }, () => publisher.publish(message)));
    expect(channels).toHaveLength(2);
    expect(channels[0]!.closed).toBe(true);
    expect(channels[1]!.published).toBe(10);
    await publisher.close(1000);
  });

  it('refuses a message the broker keeps nacking on every channel', async () => {
    const connection = { createConfirmChannel: async () => new FakeChannel(true) } as unknown as ChannelModel;
    const publisher = new Publisher({ bufferSize: 100, registry: new TopologyRegistry(), checkExchange: async () => {} });
    await publisher.attach(connection);
    const message = { exchange: '', routingKey: 'q', body: Buffer.from('x'), properties: {} };
    await expect(publisher.publish(message)).rejects.toMatchObject({ code: 'STOKCERDAS_PUBLISH_FAILED' });
    await publisher.close(1000);
  }, 20_000);
});
