import { isPlainObject } from './problems.ts';

/** What replaces a secret. */
export const REDACTED = '***';

// A URL token runs to whitespace or a quote. Userinfo ends at the token's LAST "@": an unencoded
// "@" in a password (common in hand-written URLs) must not leak the rest of the password; if that
// over-masks a host whose path or query holds an "@", hiding too much is the safe side.
const URL_TOKEN = /[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'`<>]+/g;

function redactUrl(url: string): string {
  const authorityStart = url.indexOf('://') + 3;
  const at = url.lastIndexOf('@');
  if (at < authorityStart) return url;
  const colon = url.indexOf(':', authorityStart);
  if (colon === -1 || colon > at) return url;
  return `${url.slice(0, colon + 1)}${REDACTED}${url.slice(at)}`;
}

/** Masks the password of every `scheme://user:password@host` inside `text` (for logs and error messages). */
export function redactString(text: string): string {
  return text.replace(URL_TOKEN, redactUrl);
}

// Keys whose value is a secret wherever they appear (plugin options included): tls key/cert/
// passphrase, http.token, and the usual names for credentials.
const SECRET_KEY_EXACT = /^(key|cert|pass|pwd|token|auth|authorization|credentials?)$/i;
const SECRET_KEY_PART = /(password|passphrase|secret|token|api[-_]?key|private[-_]?key|access[-_]?key)/i;

function isSecretKey(key: string): boolean {
  return SECRET_KEY_EXACT.test(key) || SECRET_KEY_PART.test(key);
}


function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) {
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    const out = value.map((item) => redactValue(item, seen));
    seen.delete(value);
    return out;
  }
  if (isPlainObject(value)) {
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretKey(key) && item !== undefined && item !== null && typeof item !== 'boolean' ? REDACTED : redactValue(item, seen);
    }
    seen.delete(value);
    return out;
  }
  // Functions and class instances (a Date, a schema object) are not config data: passed through as is.
  return value;
}

/**
 * A copy of the config safe to log or serve in /stats: URL passwords (broker.url, dedupe.redisUrl and
 * any URL in a string), tls key/cert/passphrase, http.token and secret-named plugin options become
 * `***`. The input is never mutated.
 */
export function redactConfig<T>(config: T): T {
  return redactValue(config, new WeakSet()) as T;
}
