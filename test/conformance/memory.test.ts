import { createMemoryTransport } from '../../runtime/transport/memory/index.ts';
import { describeTransportConformance } from './transport-suite.ts';

let run = 0;

describeTransportConformance('memory', {
  async create() {
    const transport = createMemoryTransport();
    await transport.connect();
    return { transport, prefix: `conformance.${++run}`, cleanup: () => transport.close() };
  },
});
