import { describe, expect, it } from 'vitest';
import { configSchema, type StokcerdasConfigInput } from '../../../config/schema.ts';
import { ErrorCodes } from '../../../runtime/errors.ts';
import { loadPluginObjects, resolveBindings, type LoadedPlugin } from '../../../runtime/plugins/index.ts';
import type { HandlerDefinition } from '../../../runtime/plugins/types.ts';
import { exchangeForType } from '../../../runtime/topology/domains.ts';

const handle = async () => {};

function loaded(name: string, handlers: Record<string, Omit<HandlerDefinition, 'handle'>>): LoadedPlugin {
  const withHandle = Object.fromEntries(Object.entries(handlers).map(([k, h]) => [k, { ...h, handle }]));
  const { plugins, problems } = loadPluginObjects([{ name, version: '1.0.0', handlers: withHandle }]);
  if (problems.length > 0) throw problems[0]!.error;
  return plugins[0]!;
}

const config = (input: StokcerdasConfigInput = {}) => configSchema.parse(input);

const stock = loaded('low-stock', {
  alert: { subscribe: { routingKeys: ['inventory.stock.level.changed'] } },
  tuned: {
    subscribe: { routingKeys: ['orders.#'], queue: 'orders.processing' },
    mode: 'worker',
    retry: { maxAttempts: 5, delayMs: 100 },
    batch: { size: 10 },
    timeoutMs: 1_000,
    prefetch: 20,
    concurrency: 4,
  },
});

describe('exchangeForType', () => {
  it('maps each domain to its exchange', () => {
    expect(exchangeForType('inventory.stock.level.changed')).toBe('inventory.events');
    expect(exchangeForType('orders.order.created')).toBe('orders.events');
    expect(exchangeForType('customers.customer.updated')).toBe('customers.events');
    expect(exchangeForType('analytics.metric.recorded')).toBe('analytics.events');
    expect(exchangeForType('indonesian.business.holiday.started')).toBe('indonesian.business.events');
  });

  it('maps patterns by their literal domain words and nothing else', () => {
    expect(exchangeForType('inventory.#')).toBe('inventory.events');
    expect(exchangeForType('indonesian.*.x')).toBeUndefined();
    expect(exchangeForType('#')).toBeUndefined();
    expect(exchangeForType('notifications.alert.requested')).toBeUndefined();
    expect(exchangeForType('inventory')).toBeUndefined();
  });
});

describe('resolveBindings', () => {
  it('gives a bare handler its own queue, its domain exchange and the config defaults', () => {
    const cfg = config();
    const { bindings, problems } = resolveBindings([stock], cfg);
    expect(problems).toEqual([]);
    expect(bindings[0]).toMatchObject({
      key: 'low-stock/alert',
      plugin: 'low-stock',
      handler: 'alert',
      exchange: 'inventory.events',
      routingKeys: ['inventory.stock.level.changed'],
      queue: 'low-stock.alert',
      mode: 'inline',
      retry: cfg.retry,
      timeoutMs: cfg.timeoutMs,
      prefetch: cfg.broker.prefetch,
      concurrency: cfg.broker.concurrency,
      enabled: true,
    });
    expect(bindings[0]!.batch).toBeUndefined();
    expect(bindings[0]!.definition).toBe(stock.definition.handlers.alert);
  });

  it('lets the handler declaration win over the config defaults', () => {
    const cfg = config({ retry: { multiplier: 3 }, batch: { flushMs: 250 } });
    const tuned = resolveBindings([stock], cfg).bindings[1]!;
    expect(tuned).toMatchObject({
      exchange: 'orders.events',
      queue: 'orders.processing',
      mode: 'worker',
      retry: { maxAttempts: 5, delayMs: 100, multiplier: 3, maxDelayMs: cfg.retry.maxDelayMs },
      batch: { size: 10, flushMs: 250 },
      timeoutMs: 1_000,
      prefetch: 20,
      concurrency: 4,
    });
  });

  it('lets the binding override win over the handler declaration', () => {
    const cfg = config({
      bindings: {
        'low-stock/tuned': {
          queue: 'ml.forecasting',
          routingKeys: ['orders.order.created'],
          mode: 'inline',
          retry: { delayMs: 7 },
          batch: { flushMs: 9 },
          timeoutMs: 2_000,
          prefetch: 30,
          enabled: false,
        },
        'low-stock/alert': { exchange: 'custom.events', batch: { size: 2 } },
      },
    });
    const [alert, tuned] = resolveBindings([stock], cfg).bindings;
    expect(tuned).toMatchObject({
      queue: 'ml.forecasting',
      routingKeys: ['orders.order.created'],
      mode: 'inline',
      retry: { maxAttempts: 5, delayMs: 7 },
      batch: { size: 10, flushMs: 9 },
      timeoutMs: 2_000,
      prefetch: 30,
      concurrency: 4,
      enabled: false,
    });
    // an override alone can turn batching on; missing fields come from config.batch
    expect(alert).toMatchObject({ exchange: 'custom.events', batch: { size: 2, flushMs: cfg.batch.flushMs } });
  });

  it('never lets concurrency exceed prefetch', () => {
    const cfg = config({ broker: { prefetch: 5, concurrency: 32 } });
    expect(resolveBindings([stock], cfg).bindings[0]).toMatchObject({ prefetch: 5, concurrency: 5 });
  });

  it('lets several handlers share a named queue', () => {
    const shared = loaded('sync', {
      a: { subscribe: { routingKeys: ['orders.#'], queue: 'integration.sync' } },
      b: { subscribe: { routingKeys: ['inventory.#'], queue: 'integration.sync' } },
    });
    const { bindings, problems } = resolveBindings([shared], config());
    expect(problems).toEqual([]);
    expect(bindings.map((b) => [b.queue, b.exchange])).toEqual([
      ['integration.sync', 'orders.events'],
      ['integration.sync', 'inventory.events'],
    ]);
  });

  it('reports a handler whose routing key belongs to no domain and names no exchange', () => {
    const odd = loaded('odd', {
      any: { subscribe: { routingKeys: ['#'] } },
      mixed: { subscribe: { routingKeys: ['inventory.#', 'orders.#'] } },
      ok: { subscribe: { exchange: 'broadcast.fanout', routingKeys: ['#'] } },
    });
    const { bindings, problems } = resolveBindings([odd], config());
    expect(bindings.map((b) => b.key)).toEqual(['odd/ok']);
    expect(problems.map((p) => p.error.code)).toEqual([ErrorCodes.PLUGIN_INVALID, ErrorCodes.PLUGIN_INVALID]);
    expect(problems[0]!.error.message).toContain('plugin "odd": handlers.any.subscribe.routingKeys: routing key "#" belongs to no domain exchange');
    expect(problems[0]!.error.message).toContain('set subscribe.exchange');
    expect(problems[1]!.error.message).toContain('span several domain exchanges (inventory.events, orders.events)');
  });

  it('reports an override whose routing keys are invalid or leave the domains', () => {
    const cfg = config({
      bindings: {
        'low-stock/alert': { routingKeys: ['inventory..x'] },
        'low-stock/tuned': { routingKeys: ['legacy.thing'] },
      },
    });
    const { bindings, problems } = resolveBindings([stock], cfg);
    expect(bindings).toEqual([]);
    expect(problems.map((p) => p.error.code)).toEqual([ErrorCodes.CONFIG_INVALID, ErrorCodes.PLUGIN_INVALID]);
    expect(problems[0]!.error.message).toContain('bindings["low-stock/alert"].routingKeys[0]: "inventory..x" is not a valid topic pattern');
    expect(problems[1]!.error.message).toContain('bindings["low-stock/tuned"].routingKeys: routing key "legacy.thing"');
    expect(problems[1]!.error.message).toContain('set bindings["low-stock/tuned"].exchange');
  });

  it('reports a binding key that names no loaded plugin or handler', () => {
    const cfg = config({
      bindings: {
        'low-stock/alrt': { timeoutMs: 5 },
        'nope/x': { timeoutMs: 5 },
        'gone/x': { timeoutMs: 5 },
        'broken/x': { timeoutMs: 5 },
      },
      plugins: { disabled: ['gone'] },
    });
    const { bindings, problems } = resolveBindings([stock], cfg, { ignorePlugins: ['broken'] });
    expect(bindings).toHaveLength(2);
    expect(problems.map((p) => [p.plugin, p.error.code])).toEqual([
      ['low-stock', ErrorCodes.BINDING_UNKNOWN],
      ['nope', ErrorCodes.BINDING_UNKNOWN],
    ]);
    expect(problems[0]!.error.message).toBe('bindings["low-stock/alrt"]: no handler "alrt" in plugin "low-stock" (known: alert, tuned)');
    expect(problems[1]!.error.message).toBe('bindings["nope/x"]: no plugin "nope" (known: low-stock)');
  });

  it('reads handler settings under "handlers", reported under that key', () => {
    const cfg = config({ handlers: { 'low-stock/alert': { timeoutMs: 5, queue: 'alerts' }, 'low-stock/alrt': { timeoutMs: 5 } } });
    const { bindings, problems } = resolveBindings([stock], cfg);
    expect(bindings.find((b) => b.key === 'low-stock/alert')).toMatchObject({ timeoutMs: 5, queue: 'alerts' });
    expect(problems.map((p) => p.error.message)).toEqual(['handlers["low-stock/alrt"]: no handler "alrt" in plugin "low-stock" (known: alert, tuned)']);
  });

  it('still reads the deprecated "bindings" key, and "handlers" wins where both set a handler', () => {
    const cfg = config({ bindings: { 'low-stock/alert': { timeoutMs: 5, prefetch: 7 } }, handlers: { 'low-stock/alert': { timeoutMs: 9 } } });
    const { bindings } = resolveBindings([stock], cfg);
    expect(bindings.find((b) => b.key === 'low-stock/alert')).toMatchObject({ timeoutMs: 9 });
    expect(resolveBindings([stock], config({ bindings: { 'low-stock/alert': { prefetch: 7 } } })).bindings[0]).toMatchObject({ prefetch: 7 });
  });
});
