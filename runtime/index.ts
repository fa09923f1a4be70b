/** The public API (package export "."): what plugins, configs and embedding code import. */
export { defineConfig } from '../config/define-config.ts';
export type { StokcerdasConfigInput, ResolvedConfig, BindingOverride, RetryPolicy, BatchPolicy } from '../config/schema.ts';
export { definePlugin } from './plugins/define.ts';
export type { PluginDefinition, HandlerDefinition, HandlerContext, HandlerSettings, SetupContext, TeardownContext, SubscribeSpec, OutboxPublish, PluginExtension, PluginQueue, ServiceTypes, ServiceResolver } from './plugins/types.ts';
export type { TypedHandler, TypedPlugin, OwnPayloads } from './plugins/typed.ts';
export type { EventTypes, KnownEventType, EventFor, PayloadFor, TypesMatching } from './events/event-types.ts';
export { EventVersions, dataschemaOf, type EventSchemaInput, type PayloadOf } from './events/versions.ts';
export { catalog as eventCatalog } from './events/catalog/index.ts';
export type { PauseControl, BindingControl } from './host/pause-control.ts';
export { createHost, type Host, type HostOptions, type HostState } from './host/host.ts';
export type { HostStats } from './observability/stats.ts';
export type { StokEvent, CloudEventWire, BusinessContext, PublishOptions, IndoZone, HolidayInfo } from './events/types.ts';
export { StokcerdasError, NonRetryableError, PoisonMessageError, HandlerTimeoutError, ErrorCodes, type ErrorCode } from './errors.ts';
export { VirtualClock, systemClock, type Clock } from './clock/index.ts';
export type { Transport } from './transport/contract.ts';
