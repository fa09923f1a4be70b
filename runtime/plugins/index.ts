/** Plugins (docs/plugin-contract.md): discovery, loading, validation, bindings, scaffolding. */
export type { HandlerContext, HandlerDefinition, OutboxPublish, PluginDefinition, SetupContext, SubscribeSpec } from './types.ts';
export { definePlugin } from './define.ts';
export { validatePluginDefinition, pluginShapeProblems, pluginLabel, TOPIC_PATTERN, ENTITY_NAME, PLUGIN_NAME } from './validate.ts';
export { discoverPlugins, loadPlugins, loadPluginObjects, assertNoProblems, INDEX_FILES } from './loader.ts';
export type { DiscoveredPlugin, LoadedPlugin, PluginProblem, LoadPluginsOptions, LoadPluginsResult } from './loader.ts';
export { skippedPlugins, type SkippedPlugin } from './skipped.ts';
export { resolveBindings } from './bindings.ts';
export type { ResolvedBinding, BindingsConfig, ResolveBindingsOptions } from './bindings.ts';
export { scaffoldPlugin, scaffoldPayload } from './scaffold.ts';
