import { beforeAll } from 'vitest';
import { createAmqpTransport } from '../../runtime/transport/amqp/index.ts';
import type { TopologySpec, Transport } from '../../runtime/transport/contract.ts';
import { deleteByPrefix, getBrokerUrl, uniquePrefix } from '../support/broker.ts';
import { describeTransportConformance } from './transport-suite.ts';

// The same conformance suite as memory.test.ts, on the real broker (one suite, two transports).
let url: string;
beforeAll(async () => {
  url = await getBrokerUrl();
});

describeTransportConformance('amqp', {
  async create() {
    const prefix = uniquePrefix('conformance');
    const transport = createAmqpTransport({
      url,
      connectionName: prefix,
      reconnect: { initialDelayMs: 100, maxDelayMs: 2_000 },
      publishBufferSize: 1_000,
      closeTimeoutMs: 2_000,
    });
    await transport.connect();
    // remember what each test declares so cleanup can delete exactly that (no management API here)
    const declared = { queues: new Set<string>(), exchanges: new Set<string>() };
    const assertTopology = transport.assertTopology.bind(transport);
    transport.assertTopology = (spec: TopologySpec) => {
      for (const q of spec.queues) declared.queues.add(q.name);
      for (const x of spec.exchanges) declared.exchanges.add(x.name);
      return assertTopology(spec);
    };
    return {
      transport: transport as Transport,
      prefix,
      async cleanup() {
        await transport.close();
        await deleteByPrefix(url, prefix, { queues: [...declared.queues], exchanges: [...declared.exchanges] });
      },
    };
  },
});
