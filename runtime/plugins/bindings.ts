import type { BatchPolicy, BindingOverride, ResolvedConfig, RetryPolicy } from '../../config/schema.ts';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import { domainExchanges, exchangeForType } from '../topology/domains.ts';
import type { LoadedPlugin, PluginProblem } from './loader.ts';
import { pluginSourceFile } from './define.ts';
import type { HandlerDefinition } from './types.ts';
import { ENTITY_NAME, TOPIC_PATTERN, formatPath, pluginLabel } from './validate.ts';

/**
 * What each handler actually consumes: the plugin's declaration, overridden per
 * handler by `bindings["plugin/handler"]` in the config, with the config's defaults underneath.
 * Precedence for every setting: config default < handler declaration < binding override.
 */
export interface ResolvedBinding {
  key: `${string}/${string}`;
  plugin: string;
  handler: string;
  definition: HandlerDefinition;
  /** the plugin's index file ('' for plugins given as objects): worker threads import it */
  pluginFile: string;
  /** unprefixed */
  exchange: string;
  routingKeys: string[];
  /** unprefixed; default `<plugin>.<handler>` */
  queue: string;
  mode: 'inline' | 'worker';
  /** only when the handler or the override asks for batches */
  batch?: BatchPolicy;
  retry: RetryPolicy;
  timeoutMs: number;
  prefetch: number;
  /** never above prefetch: more calls at once than unacked deliveries cannot happen */
  concurrency: number;
  enabled: boolean;
}

export type BindingsConfig = Pick<ResolvedConfig, 'bindings' | 'retry' | 'batch' | 'timeoutMs'> & {
  broker: Pick<ResolvedConfig['broker'], 'prefetch' | 'concurrency'>;
  plugins?: { disabled?: readonly string[] };
};

export interface ResolveBindingsOptions {
  /**
   * Plugins that exist but did not load (already reported): their binding overrides are not
   * reported a second time as unknown.
   */
  ignorePlugins?: Iterable<string>;
}

/** Later layers win; `undefined` fields never erase an earlier value. */
function layered<T extends object>(base: T, ...layers: (Partial<T> | undefined)[]): T {
  const out = { ...base } as Record<string, unknown>;
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) if (v !== undefined) out[k] = v;
  }
  return out as T;
}

const first = <T>(...values: (T | undefined)[]): T | undefined => values.find((v) => v !== undefined);

/** Override fields the config schema types only as non-empty strings. */
function overrideProblems(key: string, o: BindingOverride): string[] {
  const at = (...path: PropertyKey[]) => formatPath(path, `bindings[${JSON.stringify(key)}]`);
  const lines: string[] = [];
  o.routingKeys?.forEach((k, i) => {
    if (!TOPIC_PATTERN.test(k)) {
      lines.push(`${at('routingKeys', i)}: "${k}" is not a valid topic pattern (dot-separated words of letters, digits, _ or -, or * or #)`);
    }
  });
  if (o.exchange !== undefined && !ENTITY_NAME.test(o.exchange)) {
    lines.push(`${at('exchange')}: "${o.exchange}" must be an exchange name without the prefix, e.g. "inventory.events"`);
  }
  if (o.queue !== undefined && !ENTITY_NAME.test(o.queue)) {
    lines.push(`${at('queue')}: "${o.queue}" must be a queue name without the prefix, e.g. "ml.forecasting"`);
  }
  return lines;
}

/**
 * The domain exchange every routing key agrees on. A key outside the domains, or keys spread
 * over several domains, cannot be served by one exchange binding: the author must choose.
 */
function defaultExchange(routingKeys: string[], setExchange: string): { exchange: string } | { problem: string } {
  const exchanges = new Set(routingKeys.map((k) => exchangeForType(k)));
  const domains = domainExchanges.map((d) => `${d.prefix}*`).join(', ');
  if (exchanges.has(undefined)) {
    const orphan = routingKeys.find((k) => exchangeForType(k) === undefined);
    return { problem: `routing key "${orphan}" belongs to no domain exchange (${domains}): set ${setExchange}` };
  }
  if (exchanges.size > 1) {
    return {
      problem: `routing keys span several domain exchanges (${[...exchanges].join(', ')}): set ${setExchange} or split the handler per domain`,
    };
  }
  return { exchange: [...exchanges][0]! };
}

export function resolveBindings(
  plugins: readonly LoadedPlugin[],
  config: BindingsConfig,
  opts: ResolveBindingsOptions = {},
): { bindings: ResolvedBinding[]; problems: PluginProblem[] } {
  const bindings: ResolvedBinding[] = [];
  const problems: PluginProblem[] = [];
  const overrides = config.bindings ?? {};

  for (const p of plugins) {
    const label = p.dir ? pluginLabel(p.dir) : `plugin "${p.name}"`;
    const file = p.file || undefined;
    for (const [handler, def] of Object.entries(p.definition.handlers)) {
      const key = `${p.name}/${handler}` as const;
      const override: BindingOverride = overrides[key] ?? {};

      const invalid = overrideProblems(key, override);
      if (invalid.length > 0) {
        const error = new StokcerdasError(ErrorCodes.CONFIG_INVALID, invalid.join('\n'), { plugin: p.name, handler, problems: invalid });
        problems.push({ plugin: p.name, file, error });
        continue;
      }

      const routingKeys = override.routingKeys ?? def.subscribe.routingKeys;
      let exchange = first(override.exchange, def.subscribe.exchange);
      if (exchange === undefined) {
        // the keys came from the override or the plugin: the message points at where to fix it
        const inConfig = `bindings[${JSON.stringify(key)}]`;
        const resolved = defaultExchange(routingKeys, override.routingKeys ? `${inConfig}.exchange` : 'subscribe.exchange');
        if ('problem' in resolved) {
          const where = override.routingKeys
            ? `${inConfig}.routingKeys: ${resolved.problem}`
            : `${label}: ${formatPath(['handlers', handler, 'subscribe', 'routingKeys'])}: ${resolved.problem}`;
          problems.push({ plugin: p.name, file, error: new StokcerdasError(ErrorCodes.PLUGIN_INVALID, where, { plugin: p.name, handler }) });
          continue;
        }
        exchange = resolved.exchange;
      }

      const prefetch = first(override.prefetch, def.prefetch) ?? config.broker.prefetch;
      const concurrency = first(override.concurrency, def.concurrency) ?? config.broker.concurrency;
      const wantsBatch = def.batch !== undefined || override.batch !== undefined;
      bindings.push({
        key,
        plugin: p.name,
        handler,
        definition: def,
        // plugins given as objects have no index file: definePlugin noted the module that made them
        pluginFile: p.file || pluginSourceFile(p.definition) || '',
        exchange,
        routingKeys: [...routingKeys],
        queue: first(override.queue, def.subscribe.queue) ?? `${p.name}.${handler}`,
        mode: first(override.mode, def.mode) ?? 'inline',
        ...(wantsBatch ? { batch: layered(config.batch, def.batch, override.batch) } : {}),
        retry: layered(config.retry, def.retry, override.retry),
        timeoutMs: first(override.timeoutMs, def.timeoutMs) ?? config.timeoutMs,
        prefetch,
        concurrency: Math.min(concurrency, prefetch),
        enabled: override.enabled ?? true,
      });
    }
  }

  // An override for a handler that does not exist is a typo: it would silently configure nothing.
  const byName = new Map(plugins.map((p) => [p.name, p]));
  const quiet = new Set([...(opts.ignorePlugins ?? []), ...(config.plugins?.disabled ?? [])]);
  for (const key of Object.keys(overrides)) {
    const [plugin = '', handler = ''] = key.split('/');
    if (quiet.has(plugin)) continue;
    const loaded = byName.get(plugin);
    let message: string | undefined;
    if (!loaded) {
      message = `bindings[${JSON.stringify(key)}]: no plugin "${plugin}" (known: ${[...byName.keys()].join(', ') || 'none'})`;
    } else if (!Object.hasOwn(loaded.definition.handlers, handler)) {
      message = `bindings[${JSON.stringify(key)}]: no handler "${handler}" in plugin "${plugin}" (known: ${Object.keys(loaded.definition.handlers).join(', ')})`;
    }
    if (message) {
      problems.push({ plugin, error: new StokcerdasError(ErrorCodes.BINDING_UNKNOWN, message, { key, plugin, handler }) });
    }
  }
  return { bindings, problems };
}
