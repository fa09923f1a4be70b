import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** 127.0.0.0/8, ::1 and `localhost`: only processes on this machine can reach them. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * A server reachable from other machines must have a token: anyone on the network could otherwise
 * publish events and read the config. Returned as
 * config problems (path: message) so the host refuses to start with CONFIG_INVALID.
 */
export function httpConfigProblems(http: { enabled: boolean; host: string; token?: string }): string[] {
  if (!http.enabled || isLoopback(http.host)) return [];
  if (http.token === undefined || http.token.trim() === '') {
    return [
      `http.token: required when http.host is "${http.host}" (beyond loopback): set http.token or STOKCERDAS_HTTP_TOKEN, ` +
        `or listen on 127.0.0.1 (http.host / STOKCERDAS_HTTP_HOST), or disable the server (http.enabled: false)`,
    ];
  }
  return [];
}

export type AuthResult = { ok: true } | { ok: false; error: 'token-missing' | 'token-invalid' };

/** `Authorization: Bearer <token>`, compared in constant time (both sides hashed to one length). */
export function checkBearer(req: IncomingMessage, token: string): AuthResult {
  const header = req.headers.authorization;
  if (!header) return { ok: false, error: 'token-missing' };
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return { ok: false, error: 'token-missing' };
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]!.trim()), digest(token)) ? { ok: true } : { ok: false, error: 'token-invalid' };
}
