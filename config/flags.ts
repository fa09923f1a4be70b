import { parseArgs, type ParseArgsConfig } from 'node:util';
import { StokcerdasError, ErrorCodes } from '../errors/index.ts';
import type { StokcerdasConfigInput } from './schema.ts';
import {
  type ConfigProblem,
  type Overlay,
  formatPath,
  setPath,
  parseInteger,
  parseChoice,
  LOG_LEVELS,
  TRANSPORTS,
} from './problems.ts';

/** The config-shaping CLI flags every command accepts, as parsed (strings until validated). */
export interface CliFlags {
  prefix?: string;
  brokerUrl?: string;
  transport?: string;
  httpPort?: string | number;
  httpHost?: string;
  logLevel?: string;
  pluginsDir?: string;
  strict?: boolean;
}

export interface ParsedCli {
  /** first positional (`start`, `check`, `dlq`, …), undefined when none was given */
  command: string | undefined;
  /** the positionals after the command (`dlq list <queue>` → ['list', '<queue>']) */
  positionals: string[];
  configPath: string | undefined;
  flags: CliFlags;
  help: boolean;
  /** every parsed option, including a command's own `extraOptions` */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  prefix: { type: 'string' },
  'broker-url': { type: 'string' },
  transport: { type: 'string' },
  'http-port': { type: 'string' },
  'http-host': { type: 'string' },
  'log-level': { type: 'string' },
  'plugins-dir': { type: 'string' },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies Options;

/**
 * Splits argv into command, positionals, `--config PATH` and the config flags. Unknown options throw
 * node's ERR_PARSE_ARGS_UNKNOWN_OPTION; a command with options of its own passes them as `extraOptions`.
 */
export function parseCliArgs(argv: readonly string[] = process.argv.slice(2), extraOptions: Options = {}): ParsedCli {
  const { values: parsed, positionals } = parseArgs({
    args: [...argv],
    options: { ...extraOptions, ...CONFIG_OPTIONS },
    allowPositionals: true,
    strict: true,
  });
  const values = parsed as ParsedCli['values'];
  const str = (key: string): string | undefined => {
    const value = values[key];
    return typeof value === 'string' ? value : undefined;
  };
  const flags: CliFlags = {};
  const assign = <K extends keyof CliFlags>(key: K, value: CliFlags[K] | undefined) => {
    if (value !== undefined) flags[key] = value;
  };
  assign('prefix', str('prefix'));
  assign('brokerUrl', str('broker-url'));
  assign('transport', str('transport'));
  assign('httpPort', str('http-port'));
  assign('httpHost', str('http-host'));
  assign('logLevel', str('log-level'));
  assign('pluginsDir', str('plugins-dir'));
  if (values.strict === true) flags.strict = true;
  const [command, ...rest] = positionals;
  return { command, positionals: rest, configPath: str('config'), flags, help: values.help === true, values };
}

/** The CLI flags as a partial config, with every bad value collected and named by its flag. */
export function readFlagsOverlay(flags: CliFlags): Overlay {
  const config: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  const sources: Record<string, string> = {};
  const set = (flag: string, path: readonly string[], value: unknown) => {
    setPath(config, path, value);
    sources[formatPath(path)] = flag;
  };

  if (flags.prefix !== undefined) set('--prefix', ['broker', 'prefix'], flags.prefix);
  if (flags.brokerUrl !== undefined) set('--broker-url', ['broker', 'url'], flags.brokerUrl);
  if (flags.httpHost !== undefined) set('--http-host', ['http', 'host'], flags.httpHost);
  if (flags.pluginsDir !== undefined) set('--plugins-dir', ['plugins', 'dir'], flags.pluginsDir);
  if (flags.strict !== undefined) set('--strict', ['plugins', 'strict'], flags.strict);
  if (flags.transport !== undefined) {
    const parsed = parseChoice(flags.transport, TRANSPORTS);
    if (parsed.ok) set('--transport', ['transport'], parsed.value);
    else problems.push({ path: '--transport', message: parsed.message });
  }
  if (flags.httpPort !== undefined) {
    const parsed = parseInteger(String(flags.httpPort), 0, 65_535);
    if (parsed.ok) set('--http-port', ['http', 'port'], parsed.value);
    else problems.push({ path: '--http-port', message: parsed.message });
  }
  if (flags.logLevel !== undefined) {
    const parsed = parseChoice(flags.logLevel.toLowerCase(), LOG_LEVELS);
    if (parsed.ok) set('--log-level', ['log', 'level'], parsed.value);
    else problems.push({ path: '--log-level', message: parsed.message });
  }
  return { config, problems, sources };
}

/** The CLI flags as a partial config overlay. Throws one CONFIG_INVALID naming every bad flag. */
export function configFromFlags(flags: CliFlags): StokcerdasConfigInput {
  const { config, problems } = readFlagsOverlay(flags);
  if (problems.length > 0) {
    throw new StokcerdasError(
      ErrorCodes.CONFIG_INVALID,
      `invalid command-line flags (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'),
      { problems },
    );
  }
  return config as StokcerdasConfigInput;
}
