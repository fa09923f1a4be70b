/** The public API (package export "."): what plugins, configs and embedding code import. */
export { defineConfig } from '../config/define.ts';
export type { StokcerdasConfigInput, ResolvedConfig, BindingOverride, RetryPolicy, BatchPolicy } from '../config/schema.ts';
export { definePlugin } from './plugins/define.ts';
export type { PluginDefinition, HandlerDefinition, HandlerContext, SetupContext, SubscribeSpec, OutboxPublish, PluginExtension, PluginQueue } from './plugins/types.ts';
// augmented by plugins (`declare module 'stokcerdas' { interface ServiceTypes { … } }`), so exported by name
export type { ServiceTypes, ServiceResolver } from './plugins/types.ts';
export type { EventTypes, KnownEventType, EventFor, PayloadFor } from './events/event-types.ts';
export type { BindingControl } from './host/binding-control.ts';
export { createHost, type Host, type HostOptions, type HostState } from './host/host.ts';
export type { HostStats } from './observability/stats.ts';
export type { StokEvent, CloudEventWire, BusinessContext, PublishOptions, IndoZone, HolidayInfo } from './events/types.ts';
export { StokcerdasError, NonRetryableError, PoisonMessageError, HandlerTimeoutError, ErrorCodes, type ErrorCode } from './errors.ts';
export { VirtualClock, systemClock, type Clock } from './clock/index.ts';
export type { Transport } from './transport/contract.ts';
