/** The config folder's public surface: the only code in the project that reads the environment. */
export { loadConfig, SEARCH_PLACES, type LoadConfigOptions, type LoadedConfig } from './load.ts';
export { defineConfig } from './define-config.ts';
export { configFromEnv, readEnvOverlay, ENV_VARIABLES } from './env.ts';
export { parseCliArgs, configFromFlags, readFlagsOverlay, type CliFlags, type ParsedCli } from './flags.ts';
export { redactConfig, redactString, REDACTED } from './redact.ts';
export { formatPath, type ConfigProblem } from './problems.ts';
export { configSchema } from './schema.ts';
export type { StokcerdasConfigInput, ResolvedConfig, BindingOverride, RetryPolicy, BatchPolicy } from './schema.ts';
export { defaults } from './defaults.ts';
