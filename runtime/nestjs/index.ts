/**
 * The NestJS module (package export `stokcerdas/nestjs`): the seed's `EventBusService`,
 * `MessageBrokerService` and event classes on the runtime. Needs the optional peers
 * @nestjs/common, @nestjs/core, reflect-metadata and rxjs; nothing else in the runtime loads them.
 */
import 'reflect-metadata';

export { StokcerdasModule, StokcerdasRuntime } from './module.ts';
export { EventBusService, type EventPublishOptions, type SubscriptionOptions, type SubscriptionStats } from './event-bus.service.ts';
export {
  MessageBrokerService,
  type MessagePublishOptions,
  type IndonesianContextInput,
  type ConnectionStatus,
  type MessageHandlerStats,
  type HandlerStatsEntry,
} from './message-broker.service.ts';
export type { EventBatchStats } from './batcher.ts';
export { STOKCERDAS_OPTIONS, STOKCERDAS_RUNTIME, type StokcerdasModuleOptions, type StokcerdasModuleAsyncOptions } from './options.ts';
export * from './events/index.ts';
export { StokcerdasClient } from '../client/client.ts';
