/** Builds handler calls by hand, so the pool is tested without a host. */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from '../../../runtime/clock/index.ts';
import type { StokEvent } from '../../../runtime/events/types.ts';
import type { HandlerBinding, HandlerCall } from '../../../runtime/pipeline/types.ts';
import type { HandlerContext, PluginDefinition } from '../../../runtime/plugins/types.ts';
import { pluginSourceFile } from '../../../runtime/plugins/define.ts';

export function captureLogger(level = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

export function event<T>(type: string, data: T, id = `evt-${Math.random().toString(36).slice(2)}`): StokEvent<T> {
  return {
    specversion: '1.0',
    id,
    source: 'urn:test',
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
    context: {
      timezone: 'Asia/Jakarta',
      geographicContext: { timeZone: 'WIB' },
      businessHours: true,
      ramadanSeason: false,
      culturalFactors: { seasonalFactor: 1 },
    },
  };
}

export function bindingOf(plugin: PluginDefinition, handler: string, logger: Logger, over: Partial<HandlerBinding> = {}): HandlerBinding {
  const definition = plugin.handlers[handler]!;
  return {
    key: `${plugin.name}/${handler}`,
    plugin: plugin.name,
    handler,
    definition,
    pluginFile: pluginSourceFile(plugin),
    queue: `test.${plugin.name}.${handler}`,
    routingKeys: definition.subscribe.routingKeys,
    mode: 'worker',
    retry: { maxAttempts: 3, delayMs: 10, multiplier: 2, maxDelayMs: 100 },
    timeoutMs: 5_000,
    ...(definition.batch ? { batch: { size: 10, flushMs: 100, ...definition.batch } } : {}),
    options: {},
    logger,
    ...over,
  };
}

export function callOf(binding: HandlerBinding, events: StokEvent[], attempt = 1): HandlerCall {
  const controller = new AbortController();
  return { binding, events, attempt, outbox: [], signal: controller.signal, abort: (reason) => controller.abort(reason) };
}

/** The context the pipeline would build (only what the worker invoker reads). */
export function contextOf(call: HandlerCall, clock: Clock = systemClock): HandlerContext {
  return {
    logger: call.binding.logger.child({ eventId: call.events[0]?.id }),
    publish: (type, data, options) => call.outbox.push({ type, data, options }),
    attempt: call.attempt,
    handler: call.binding.key,
    clock,
    signal: call.signal,
    options: call.binding.options,
    resolve: () => {
      throw new Error('not in this test');
    },
  };
}
