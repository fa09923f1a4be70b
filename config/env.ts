import { StokcerdasError, ErrorCodes } from '../errors/index.ts';
import { defaults } from './defaults.ts';
import type { StokcerdasConfigInput } from './schema.ts';
import {
  type ConfigProblem,
  type Overlay,
  type Parsed,
  formatPath,
  setPath,
  parseBoolean,
  parseInteger,
  parseChoice,
  LOG_LEVELS,
  QUEUE_TYPES,
} from './problems.ts';

type Parser = (raw: string) => Parsed<unknown>;
const text: Parser = (raw) => ({ ok: true, value: raw });
const integer: Parser = (raw) => parseInteger(raw);

/**
 * Environment variable → config path. The EVENT_BUS_* names are the ones earlier deployments use, kept so
 * existing deployments work unchanged; range checks are left to the schema, whose problems are then
 * reported under the variable's name by loadConfig.
 */
const VARIABLES: ReadonlyArray<readonly [name: string, path: readonly string[], parse: Parser]> = [
  ['EVENT_BUS_LOCAL_ENABLED', ['local', 'enabled'], parseBoolean],
  ['EVENT_BUS_DEFAULT_TTL', ['broker', 'defaultTtlMs'], integer],
  ['EVENT_BUS_DEFAULT_PRIORITY', ['broker', 'defaultPriority'], integer],
  ['EVENT_BUS_MAX_RETRIES', ['retry', 'maxAttempts'], integer],
  ['EVENT_BUS_RETRY_DELAY', ['retry', 'delayMs'], integer],
  ['EVENT_BUS_BATCH_SIZE', ['batch', 'size'], integer],
  ['EVENT_BUS_FLUSH_INTERVAL', ['batch', 'flushMs'], integer],
  ['STOKCERDAS_PREFIX', ['broker', 'prefix'], text],
  ['STOKCERDAS_QUEUE_TYPE', ['broker', 'queueType'], (raw) => parseChoice(raw, QUEUE_TYPES)],
  ['STOKCERDAS_HTTP_PORT', ['http', 'port'], (raw) => parseInteger(raw, 0, 65_535)],
  ['STOKCERDAS_HTTP_HOST', ['http', 'host'], text],
  ['STOKCERDAS_HTTP_TOKEN', ['http', 'token'], text],
  ['STOKCERDAS_LOG_LEVEL', ['log', 'level'], (raw) => parseChoice(raw.toLowerCase(), LOG_LEVELS)],
  ['STOKCERDAS_PLUGINS_DIR', ['plugins', 'dir'], text],
  ['STOKCERDAS_PLUGINS_STRICT', ['plugins', 'strict'], parseBoolean],
  ['STOKCERDAS_DEDUPE_REDIS_URL', ['dedupe', 'redisUrl'], text],
];

const RABBITMQ_PARTS = ['RABBITMQ_HOST', 'RABBITMQ_PORT', 'RABBITMQ_USERNAME', 'RABBITMQ_PASSWORD', 'RABBITMQ_VHOST'] as const;

/** Every variable this module reads, for `stokcerdas check` and the README. */
export const ENV_VARIABLES: readonly string[] = [
  'RABBITMQ_URL',
  'RABBITMQ_URLS',
  ...RABBITMQ_PARTS,
  'EVENT_BUS_DISTRIBUTED_ENABLED',
  ...VARIABLES.map(([name]) => name),
];

/** docker-compose's `VAR=` and `VAR: ""` mean "not set", not "set to empty". */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The environment as a partial config, with every bad value collected (never thrown one by one)
 * so an operator fixes them all in one restart.
 */
export function readEnvOverlay(env: NodeJS.ProcessEnv): Overlay {
  const config: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  const sources: Record<string, string> = {};
  const set = (name: string, path: readonly string[], value: unknown) => {
    setPath(config, path, value);
    sources[formatPath(path)] = name;
  };

  const url = read(env, 'RABBITMQ_URL');
  if (url !== undefined) {
    set('RABBITMQ_URL', ['broker', 'url'], url.trim());
  } else if (RABBITMQ_PARTS.some((name) => read(env, name) !== undefined)) {
    const built = amqpUrlFromParts(env, problems);
    if (built !== undefined) set('RABBITMQ_*', ['broker', 'url'], built);
  }

  const urls = read(env, 'RABBITMQ_URLS');
  if (urls !== undefined) {
    const list = urls.split(',').map((u) => u.trim()).filter((u) => u !== '');
    if (list.length > 0) set('RABBITMQ_URLS', ['broker', 'urls'], list);
    else problems.push({ path: 'RABBITMQ_URLS', message: 'expected comma-separated amqp:// URLs' });
  }

  const distributed = read(env, 'EVENT_BUS_DISTRIBUTED_ENABLED');
  if (distributed !== undefined) {
    const parsed = parseBoolean(distributed);
    if (parsed.ok) set('EVENT_BUS_DISTRIBUTED_ENABLED', ['transport'], parsed.value ? 'amqp' : 'memory');
    else problems.push({ path: 'EVENT_BUS_DISTRIBUTED_ENABLED', message: parsed.message });
  }

  for (const [name, path, parse] of VARIABLES) {
    const raw = read(env, name);
    if (raw === undefined) continue;
    const parsed = parse(raw);
    if (parsed.ok) set(name, path, parsed.value);
    else problems.push({ path: name, message: parsed.message });
  }
  return { config, problems, sources };
}

/** Each part not given takes `defaults.broker.local`: a local RabbitMQ with the guest account on vhost "/". */
function amqpUrlFromParts(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): string | undefined {
  const local = defaults.broker.local;
  const host = read(env, 'RABBITMQ_HOST')?.trim() ?? local.host;
  const rawPort = read(env, 'RABBITMQ_PORT');
  let port = local.port;
  if (rawPort !== undefined) {
    const parsed = parseInteger(rawPort, 1, 65_535);
    if (!parsed.ok) {
      problems.push({ path: 'RABBITMQ_PORT', message: parsed.message });
      return undefined;
    }
    port = parsed.value;
  }
  // Credentials and vhost are encoded: a password with "@", ":" or "/" would otherwise split the URL,
  // and the default vhost "/" must travel as %2F.
  const user = encodeURIComponent(read(env, 'RABBITMQ_USERNAME') ?? local.username);
  const password = encodeURIComponent(read(env, 'RABBITMQ_PASSWORD') ?? local.password);
  const vhost = encodeURIComponent(read(env, 'RABBITMQ_VHOST') ?? local.vhost);
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `amqp://${user}:${password}@${hostPart}:${port}/${vhost}`;
}

/**
 * The environment as a partial config overlay. Throws one CONFIG_INVALID listing every
 * bad variable by name; loadConfig instead merges these problems with the schema's.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): StokcerdasConfigInput {
  const { config, problems } = readEnvOverlay(env);
  if (problems.length > 0) {
    throw new StokcerdasError(
      ErrorCodes.CONFIG_INVALID,
      `invalid environment (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'),
      { problems },
    );
  }
  return config as StokcerdasConfigInput;
}
