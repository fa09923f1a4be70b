/**
 * `stokcerdas/testing`: the fake bus. It runs the real host and pipeline over the memory transport
 * on virtual time, so a plugin's unit test needs no broker, no network and no real waiting
 * (Fastify's `inject`; MassTransit's harness lists).
 */
import type { StokcerdasConfigInput } from '../../config/schema.ts';
import { VirtualClock } from '../clock/index.ts';
import type { CloudEventWire, PublishOptions, StokEvent } from '../events/types.ts';
import type { PublishPayloadFor } from '../events/event-types.ts';
import { createHost, type Host, type HostInternals } from '../host/host.ts';
import { silentLogger, createLogger } from '../observability/logger.ts';
import type { PipelineHooks } from '../pipeline/types.ts';
import type { PluginDefinition } from '../plugins/types.ts';
import { createMemoryTransport, type MemoryTransport } from '../transport/memory/index.ts';
import type { HeaderValue } from '../transport/contract.ts';

export interface TestBusOptions {
  plugins: PluginDefinition[];
  /** options per plugin name, as `plugins.options` in the config */
  options?: Record<string, unknown>;
  /** where virtual time starts (default 2026-01-05 10:00 WIB, a Monday in business hours) */
  now?: Date | string | number;
  /** any other config (bindings, retry, context, …) */
  config?: StokcerdasConfigInput;
  /** log to stderr at this level (default: silent) */
  logLevel?: string;
  /**
   * While time moves, a handler in flight that shows no progress for this many real ms is taken to
   * wait for a virtual timer (its timeout, say) and time moves on without it. Default 50; raise it
   * when handlers do real I/O or CPU work that takes longer (worker threads, local HTTP servers).
   */
  stallMs?: number;
}

export interface ConsumedEvent extends StokEvent {
  /** `plugin/handler` that received it */
  handler: string;
  attempt: number;
}

export interface FailedCall {
  event: StokEvent | CloudEventWire | undefined;
  handler: string | undefined;
  error: unknown;
  attempt: number;
}

export interface DeadLetteredMessage {
  event: CloudEventWire | undefined;
  queue: string;
  headers: Record<string, HeaderValue>;
  body: Buffer;
}

export interface TestBus {
  publish<T extends string>(type: T, data: PublishPayloadFor<T>, options?: PublishOptions): Promise<StokEvent>;
  /** resolves when nothing can progress without time moving on */
  idle(): Promise<void>;
  /** moves virtual time, firing retries, batch flushes and timeouts that fall due */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
  readonly published: StokEvent[];
  readonly consumed: ConsumedEvent[];
  readonly failed: FailedCall[];
  readonly deadLettered: DeadLetteredMessage[];
  readonly clock: VirtualClock;
  readonly host: Host;
  readonly transport: MemoryTransport;
  /** services from the container (`calendar`, …) */
  resolve<T = unknown>(name: string): T;
}

const DEFAULT_START = Date.UTC(2026, 0, 5, 3, 0, 0);
const STALL_MS = 50;

export async function createTestBus(options: TestBusOptions): Promise<TestBus> {
  const start = options.now === undefined ? DEFAULT_START : new Date(options.now).getTime();
  const clock = new VirtualClock(start);
  const transport = createMemoryTransport({ clock });
  const published: StokEvent[] = [];
  const consumed: ConsumedEvent[] = [];
  const failed: FailedCall[] = [];
  const deadLettered: DeadLetteredMessage[] = [];
  let received = 0;
  let settled = 0;
  let progress = 0;
  const hooks: PipelineHooks = {
    received: () => received++,
    settled: () => settled++,
    handled: () => progress++,
    published: (event) => published.push(event),
    consumed: (event, binding, attempt) => consumed.push({ ...event, handler: binding.key, attempt }),
    failed: (event, binding, error, attempt) => failed.push({ event, handler: binding?.key, error, attempt }),
    deadLettered: (info) => deadLettered.push({ event: info.event, queue: info.queue, headers: info.headers, body: info.body }),
  };
  const config = options.config ?? {};
  const host = createHost(
    {
      ...config,
      transport: 'memory',
      http: { ...config.http, enabled: false },
      plugins: { ...config.plugins, strict: true, options: { ...config.plugins?.options, ...options.options } },
    },
    {
      transport,
      clock,
      plugins: options.plugins,
      hooks,
      logger: options.logLevel ? createLogger({ level: options.logLevel, pretty: false }) : silentLogger,
      hostName: 'test-bus',
    },
  );
  await host.start();
  const parked = () => (host as unknown as HostInternals).parkedInBatches();

  // Nothing can progress without time moving on when no delivery is in the pipeline except those
  // parked in an open batch (they wait for virtual time), and a few event-loop turns bring no new one.
  // `stallMs`: while moving time, a handler that made no progress for that long is waiting for a
  // virtual timer (its timeout, say), so time may move on without it.
  const settle = async (stallMs = Number.POSITIVE_INFINITY) => {
    let lastChange = performance.now();
    let lastMark = -1;
    for (;;) {
      const busy = received - settled - parked();
      if (busy > 0) {
        const mark = received + settled + progress;
        if (mark !== lastMark) {
          lastMark = mark;
          lastChange = performance.now();
        } else if (performance.now() - lastChange >= stallMs) {
          return;
        }
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      const seen = received;
      for (let i = 0; i < 3; i++) await tick();
      if (received === seen && received - settled - parked() === 0) return;
    }
  };
  const idle = () => settle();

  return {
    publish: (type, data, opts) => host.publish(type, data, opts),
    idle,
    advance: (ms) => clock.advance(ms, () => settle(options.stallMs ?? STALL_MS)),
    close: () => host.stop(),
    published,
    consumed,
    failed,
    deadLettered,
    clock,
    host,
    transport,
    resolve: (name) => host.resolve(name),
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
