import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createHost, definePlugin } from 'stokcerdas';
import { silentLogger } from '../../../runtime/observability/logger.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const plugin = definePlugin({
  name: 'release',
  version: '1.0.0',
  handlers: { noop: { subscribe: { routingKeys: ['inventory.stock.level.changed'] }, handle() {} } },
});

/** Starts, uses and stops a host in a scope of its own; only weak references leave it. */
async function runAndStop(): Promise<{ host: WeakRef<object>; metrics: WeakRef<object> }> {
  const host = createHost({ transport: 'memory', http: { enabled: false } }, { plugins: [plugin], logger: silentLogger });
  await host.start();
  await host.publish('inventory.stock.level.changed', { productData: { id: 'SKU-1' }, locationData: { id: 'WH' }, stockMovement: { type: 'sale', quantity: -1 }, stockLevel: { previous: 2, current: 1 } });
  await host.stop();
  return { host: new WeakRef(host), metrics: new WeakRef(host.metrics) };
}

describe('a stopped host', () => {
  // prom-client's GC-duration metric observes collections for the life of the process and holds
  // the registry it was registered in: unless stop() empties that registry, every host a process
  // ever started (tests, embedding code restarting one) stays in memory with all it references
  it('is released: neither it nor its metrics stay reachable', async () => {
    const refs = await runAndStop();
    for (let i = 0; i < 20 && (refs.host.deref() !== undefined || refs.metrics.deref() !== undefined); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    expect(refs.metrics.deref()).toBeUndefined();
    expect(refs.host.deref()).toBeUndefined();
  });
});
