import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/schema.ts';
import type { Clock } from '../clock/index.ts';
import type { ServiceContainer } from '../container/index.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import type { SchemaRegistry } from '../events/schemas.ts';
import type { PublishOptions } from '../events/types.ts';
import { assertNoProblems, type LoadedPlugin, type PluginProblem, type ResolvedBinding } from '../plugins/index.ts';
import type { PluginDefinition, PluginQueue } from '../plugins/types.ts';
import { preflight, type WorkerModuleCheck } from './preflight.ts';

export interface PluginSet {
  plugins: LoadedPlugin[];
  problems: PluginProblem[];
  bindings: ResolvedBinding[];
  /** queues the started plugins publish into without consuming (`configure`), unprefixed */
  queues: PluginQueue[];
  /** reverse load order; errors are logged, never thrown */
  teardown(): Promise<void>;
}

export interface LoadHostPluginsInput {
  config: ResolvedConfig;
  cwd?: string;
  plugins?: PluginDefinition[];
  logger: Logger;
  registry: SchemaRegistry;
  container: ServiceContainer;
  clock: Clock;
  publish(type: string, data: unknown, options?: PublishOptions): Promise<unknown>;
  /** imports worker-mode plugin modules on the host's own pool: the broken ones come back as problems */
  checkWorkers: WorkerModuleCheck;
}

/**
 * Load, validate, bind and set up the plugins. Non-strict: a broken plugin is reported with its
 * folder and cause and the host starts without it. Strict: any problem refuses the start.
 */
export async function loadHostPlugins(input: LoadHostPluginsInput): Promise<PluginSet> {
  const { config, logger } = input;
  const checked = await preflight(config, input.cwd, { plugins: input.plugins, checkWorkers: input.checkWorkers });
  // createHost refused config problems already; what is left is each plugin's
  const problems = checked.problems.filter((p): p is PluginProblem => p.plugin !== undefined);
  if (config.plugins.strict) assertNoProblems(problems);

  // a plugin with a broken binding is skipped whole: half a plugin is harder to reason about
  const broken = new Set(problems.map((p) => p.plugin));
  const candidates = checked.plugins.filter((p) => !broken.has(p.name));
  for (const problem of problems) {
    logger.error({ plugin: problem.plugin, file: problem.file, code: problem.error.code }, `plugin skipped: ${problem.error.message}`);
  }

  const started: LoadedPlugin[] = [];
  for (const plugin of candidates) {
    for (const [type, schema] of Object.entries(plugin.definition.events ?? {})) input.registry.register(type, schema);
    try {
      await plugin.definition.setup?.({
        logger: logger.child({ plugin: plugin.name }),
        options: plugin.options,
        clock: input.clock,
        config,
        publish: async (type, data, options) => {
          await input.publish(type, data, options);
        },
        resolve: input.container.resolve.bind(input.container),
        register: (name, value) => input.container.register(name, value),
      });
      started.push(plugin);
    } catch (cause) {
      const error = new StokcerdasError(
        ErrorCodes.PLUGIN_SETUP_FAILED,
        `${plugin.dir ? `plugins/${plugin.name}` : `plugin "${plugin.name}"`}: setup() failed: ${(cause as Error)?.message ?? cause}`,
        { plugin: plugin.name },
        { cause },
      );
      problems.push({ plugin: plugin.name, file: plugin.file || undefined, error });
      if (config.plugins.strict) {
        await teardown(started, logger, input.container);
        throw error;
      }
      logger.error({ plugin: plugin.name, err: cause, code: error.code }, `plugin skipped: ${error.message}`);
    }
  }

  const names = new Set(started.map((p) => p.name));
  for (const p of started) {
    for (const q of p.queues ?? []) {
      if (q.bindings) logger.warn({ plugin: p.name, queue: q.name }, `plugin ${p.name}: queue "${q.name}" names its routes "bindings", deprecated: rename it to "routes"`);
    }
  }
  return {
    plugins: started,
    problems,
    bindings: checked.bindings.filter((b) => names.has(b.plugin) && b.enabled),
    queues: started.flatMap((p) => p.queues ?? []),
    teardown: () => teardown(started, logger, input.container),
  };
}

async function teardown(plugins: LoadedPlugin[], logger: Logger, container: ServiceContainer): Promise<void> {
  for (const plugin of [...plugins].reverse()) {
    try {
      await plugin.definition.teardown?.({ logger: logger.child({ plugin: plugin.name }), resolve: container.resolve.bind(container) });
    } catch (err) {
      logger.error({ plugin: plugin.name, err }, 'plugin teardown failed');
    }
  }
}
