/**
 * The publishing client (package export `stokcerdas/client`): for services that publish events
 * without being plugins. Loads no plugins, HTTP server or worker pool.
 */
export { StokcerdasClient, createClient, type ClientOptions, type ClientState, type ClientStats, type BatchItem } from './client.ts';
export { resolveClientConfig } from './config.ts';
export type { LocalListener } from '../publishing/local-subscriptions.ts';
export type { StokEvent, PublishOptions, BusinessContext } from '../events/types.ts';
export type { EventTypes, KnownEventType, PayloadFor } from '../events/event-types.ts';
export type { StokcerdasConfigInput } from '../../config/schema.ts';
export { StokcerdasError, ErrorCodes } from '../errors.ts';
