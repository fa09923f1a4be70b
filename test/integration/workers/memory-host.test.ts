/**
 * Worker-mode handlers through a real host on the memory transport and the system clock: real
 * threads, real timeouts, real crashes (the failure cases of docs/failure-semantics.md).
 */
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, ErrorCodes, type Host, type StokEvent } from 'stokcerdas';
import type { StokcerdasConfigInput } from '../../../config/schema.ts';
import type { HostOptions } from '../../../runtime/host/host.ts';
import type { PipelineHooks } from '../../../runtime/pipeline/types.ts';
import type { HeaderValue } from '../../../runtime/transport/contract.ts';
import { silentLogger } from '../../../runtime/observability/logger.ts';
import basics from '../../fixtures/worker-plugins/basics.ts';
import broken from '../../fixtures/worker-plugins/broken.ts';
import { faults } from '../../fixtures/worker-plugins/faults.ts';

interface Observed {
  published: StokEvent[];
  consumed: { handler: string; attempt: number }[];
  deadLettered: { queue: string; headers: Record<string, HeaderValue> }[];
}

let host: Host | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

async function startHost(config: StokcerdasConfigInput, options: HostOptions = {}): Promise<{ host: Host; seen: Observed }> {
  const seen: Observed = { published: [], consumed: [], deadLettered: [] };
  const hooks: PipelineHooks = {
    published: (e) => seen.published.push(e),
    consumed: (_e, b, attempt) => seen.consumed.push({ handler: b.key, attempt }),
    deadLettered: (info) => seen.deadLettered.push({ queue: info.queue, headers: info.headers }),
  };
  host = createHost(
    { transport: 'memory', http: { enabled: false }, log: { level: 'silent' }, ...config, workers: { minThreads: 2, maxThreads: 2, ...config.workers } },
    { logger: silentLogger, hooks, ...options },
  );
  await host.start();
  return { host, seen };
}

async function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ofType = (seen: Observed, type: string) => seen.published.filter((e) => e.type === type);

describe('worker handlers on the memory transport host', () => {
  it('dead-letters a 10-second loop as handler-timeout after its retries while other bindings keep flowing', async () => {
    const { host, seen } = await startHost({ plugins: { options: {} } }, { plugins: [faults] });
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = Date.now();
    await host.publish('analytics.fault.loop', {});
    // one tick every 20 ms while the loop holds a thread: each is handled on the other thread
    for (let n = 0; n < 50; n++) {
      await host.publish('analytics.steady.tick', { n });
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => seen.deadLettered.length === 1, 10_000, 'loop dead-lettered');
    loop.disable();
    // ticks were handled while the loop still held a thread, not only after it was gone
    expect(ofType(seen, 'analytics.steady.tock').length).toBeGreaterThanOrEqual(10);
    await until(() => ofType(seen, 'analytics.steady.tock').length === 50, 5_000, 'ticks handled');
    expect(seen.deadLettered[0]!.headers).toMatchObject({
      'x-death-reason': 'handler-timeout',
      'x-attempts': 2,
      'x-handler': 'worker-faults/loops',
      'x-error-type': 'HandlerTimeoutError',
    });
    expect(Date.now() - started).toBeLessThan(8_000); // far from the loop's 10 s: the thread was terminated
    // the main loop never waited on the worker's loop (that would be ≥ 500 ms); the tight figure
    // (p99 < 20 ms) is the benchmark's: on a shared test box this only guards against blocking
    expect(loop.max / 1e6).toBeLessThan(300);
  }, 30_000);

  it('retries deliveries of crashed threads on new threads without losing one', async () => {
    const { host, seen } = await startHost({}, { plugins: [faults] });
    await host.publish('analytics.fault.exit', { attempts: 3 });
    await host.publish('analytics.fault.uncaught', {});
    for (let n = 0; n < 10; n++) await host.publish('analytics.steady.tick', { n });
    await until(() => ofType(seen, 'analytics.fault.survived').length === 1, 15_000, 'exit survived');
    await until(() => seen.consumed.filter((c) => c.handler === 'worker-faults/uncaught').length === 2, 5_000, 'uncaught retried');
    await until(() => ofType(seen, 'analytics.steady.tock').length === 10, 5_000, 'ticks handled');
    expect(ofType(seen, 'analytics.fault.survived')[0]!.data).toEqual({ attempt: 3 });
    expect(seen.deadLettered).toEqual([]);
  }, 30_000);

  it('dead-letters a handler whose thread runs out of memory every time, naming the cause', async () => {
    // the cap comes from the config, as an operator sets it (workers.resourceLimits)
    const { host, seen } = await startHost({ workers: { minThreads: 2, maxThreads: 2, resourceLimits: { maxOldGenerationSizeMb: 32 } } }, { plugins: [faults] });
    await host.publish('analytics.fault.oom', {});
    await until(() => seen.deadLettered.length === 1, 20_000, 'oom dead-lettered');
    expect(seen.deadLettered[0]!.headers).toMatchObject({
      'x-death-reason': 'retries-exhausted',
      'x-attempts': 2,
      'x-error-type': 'StokcerdasError',
      'x-error-message': expect.stringContaining('out of memory'),
    });
  }, 30_000);

  it('loads a TypeScript folder plugin (with its own .ts imports and the package name) on the worker threads', async () => {
    const dir = fileURLToPath(new URL('../../fixtures/worker-plugins/folder', import.meta.url));
    const { host, seen } = await startHost({ plugins: { dir, strict: true } });
    await host.publish('analytics.sales.series', { sku: 'KOPI-1', daily: [1, 2, 3, 4, 5, 6, 7, 8] });
    await until(() => ofType(seen, 'analytics.demand.forecast').length === 1);
    expect(ofType(seen, 'analytics.demand.forecast')[0]!.data).toEqual({ sku: 'KOPI-1', next: 5, mainThread: false });
  }, 30_000);

  it('starts without a worker plugin whose module fails on a thread, reporting it like a broken plugin', async () => {
    const { host, seen } = await startHost({ plugins: { strict: false } }, { plugins: [broken, basics] });
    expect(host.problems.map((p) => [p.plugin, p.error.code])).toEqual([['worker-broken', ErrorCodes.PLUGIN_LOAD_FAILED]]);
    expect(host.plugins.map((p) => p.name)).toEqual(['worker-basics']);
    await host.publish('inventory.worker.check', { sku: 'B', qty: 1 });
    await until(() => ofType(seen, 'analytics.stock.checked').length === 1);
  }, 30_000);
});
