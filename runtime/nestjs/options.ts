import type { Logger } from 'pino';
import type { StokcerdasConfigInput } from '../../config/schema.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import type { EventSchemaInput } from '../events/versions.ts';

/**
 * `StokcerdasModule.forRoot(config)`: the host's config shape (broker, context, retry, dedupe,
 * batch, log, …) plus what only the module reads. One `stokcerdas.config.ts` serves a host and a
 * NestJS service alike.
 */
export interface StokcerdasModuleOptions extends StokcerdasConfigInput {
  /**
   * This service's name (kebab-case): its distributed subscriptions consume from queues named
   * `<prefix>.<service>.<Handler>.<event type>`. Default `nestjs`.
   */
  service?: string;
  /** overlay these environment variables (RABBITMQ_*, EVENT_BUS_*, STOKCERDAS_*) as the host does: pass `process.env` */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** payload schemas of this service's own event types */
  events?: Record<string, EventSchemaInput>;
  /** register the module globally (default true), as the seed's was */
  global?: boolean;
}

/** `StokcerdasModule.forRootAsync(...)`: the options from a factory (ConfigService and friends). */
export interface StokcerdasModuleAsyncOptions {
  // NestJS's own `imports` and `inject` are typed loosely by NestJS itself; these mirror them
  imports?: NonNullable<import('@nestjs/common').DynamicModule['imports']>;
  inject?: NonNullable<import('@nestjs/common').FactoryProvider['inject']>;
  useFactory: (...args: never[]) => StokcerdasModuleOptions | Promise<StokcerdasModuleOptions>;
  global?: boolean;
}

/** Injection tokens (strings: no decorator metadata is needed to resolve them). */
export const STOKCERDAS_OPTIONS = 'STOKCERDAS_OPTIONS';
export const STOKCERDAS_RUNTIME = 'STOKCERDAS_RUNTIME';

/** The keys above that are not the runtime's config. */
export function splitOptions(options: StokcerdasModuleOptions): { config: StokcerdasConfigInput; service: string } {
  const { service, env: _env, logger: _logger, events: _events, global: _global, ...config } = options;
  const name = service ?? 'nestjs';
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name)) {
    throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, `StokcerdasModule: service "${name}" must be kebab-case (lowercase letters, digits and -): it names this service's queues`, { service: name });
  }
  return { config, service: name };
}
