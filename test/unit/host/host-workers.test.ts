import { describe, expect, it, vi } from 'vitest';
import { HostWorkers } from '../../../runtime/host/host-workers.ts';
import type { WorkerPoolHandle } from '../../../runtime/host/wiring.ts';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import { createHost } from '../../../runtime/host/host.ts';

function fakePools() {
  const pools: Array<WorkerPoolHandle & { closed: number }> = [];
  const open = vi.fn(async () => {
    const pool = { closed: 0, invoker: vi.fn(), async close() { pool.closed++; } } as unknown as WorkerPoolHandle & { closed: number };
    pools.push(pool);
    return pool;
  });
  const config = createHost({ http: { enabled: false } }).config;
  return { pools, open, workers: new HostWorkers(open, { config, logger: silentLogger }) };
}

describe('HostWorkers', () => {
  it('hands the early pool to the check: one pool, closed once on stop', async () => {
    const { pools, open, workers } = fakePools();
    workers.openEarly();
    const taken = await workers.take();
    workers.releaseUnused();
    expect(open).toHaveBeenCalledTimes(1);
    expect(taken).toBe(pools[0]);
    expect(workers.current).toBe(pools[0]);
    await workers.close();
    expect(pools[0]!.closed).toBe(1);
    expect(workers.current).toBeUndefined();
  });

  it('closes an early pool nothing asked for once the plugins are loaded, and holds none', async () => {
    const { pools, workers } = fakePools();
    workers.openEarly();
    workers.releaseUnused();
    await workers.close();
    expect(pools).toHaveLength(1);
    expect(pools[0]!.closed).toBe(1);
    expect(workers.current).toBeUndefined();
  });

  it('opens the pool at the check when it was not opened early', async () => {
    const { open, workers } = fakePools();
    workers.releaseUnused();
    expect(open).not.toHaveBeenCalled();
    await workers.take();
    expect(open).toHaveBeenCalledTimes(1);
    await workers.close();
  });

  it('reports a pool that failed to open early when the check asks for it, not before', async () => {
    const failing = new HostWorkers(() => Promise.reject(new Error('no threads')), { config: createHost({ http: { enabled: false } }).config, logger: silentLogger });
    failing.openEarly();
    await expect(failing.take()).rejects.toThrow('no threads');
    await failing.close();
  });
});
