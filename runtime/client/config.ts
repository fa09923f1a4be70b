import { configSchema, type ResolvedConfig, type StokcerdasConfigInput } from '../../config/schema.ts';
import { configFromEnv } from '../../config/env.ts';
import { formatPath } from '../../config/problems.ts';
import { StokcerdasError, ErrorCodes } from '../errors.ts';

/**
 * The client reads the host's config shape (so one `stokcerdas.config.ts` serves both) and uses
 * `broker`, `transport`, `local`, `context` and `log`; the rest is validated and ignored.
 * With `env`, the environment variables overlay it as they do for the host (RABBITMQ_*, EVENT_BUS_*, …).
 */
export function resolveClientConfig(input: StokcerdasConfigInput = {}, env?: NodeJS.ProcessEnv): ResolvedConfig {
  const merged = env ? overlay(input as Record<string, unknown>, configFromEnv(env) as Record<string, unknown>) : input;
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, `invalid client config:\n${problems.map((p) => `  ${p}`).join('\n')}`, { problems });
  }
  return parsed.data;
}

/** Later wins, plain objects merged key by key (arrays and values replaced). */
function overlay(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const under = out[key];
    out[key] = isPlain(under) && isPlain(value) ? overlay(under, value) : value;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
