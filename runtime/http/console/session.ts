import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { checkBearer } from '../auth.ts';

export const SESSION_COOKIE = 'stokcerdas_console';
const SESSION_MS = 12 * 3_600_000;
// a guesser gets a handful of tries a minute: the token is long, this only keeps the log quiet
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 60_000;

export type ConsoleAuth = { ok: true } | { ok: false; reason: 'no-credentials' | 'token-invalid' };

/**
 * Who may use the console: anyone when the server has no token (it then listens on loopback
 * only); else a request with `Authorization: Bearer <token>` or with the session cookie that the
 * login form sets. The token never travels in a URL, and the cookie is HttpOnly (page scripts
 * cannot read it) and SameSite=Strict (other sites cannot make a browser send it).
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, number>();
  private failures: number[] = [];

  constructor(
    private readonly token: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get open(): boolean {
    return this.token === undefined;
  }

  check(req: IncomingMessage): ConsoleAuth {
    if (this.token === undefined) return { ok: true };
    if (req.headers.authorization) {
      return checkBearer(req, this.token).ok ? { ok: true } : { ok: false, reason: 'token-invalid' };
    }
    const id = readCookie(req, SESSION_COOKIE);
    if (id === undefined) return { ok: false, reason: 'no-credentials' };
    const expires = this.sessions.get(digest(id));
    if (expires === undefined || expires < this.now()) {
      this.sessions.delete(digest(id));
      return { ok: false, reason: 'no-credentials' };
    }
    return { ok: true };
  }

  /** the Set-Cookie value for a correct token, `throttled` after too many wrong ones, else undefined */
  login(candidate: string): { cookie: string } | 'throttled' | undefined {
    if (this.token === undefined) return { cookie: '' };
    const now = this.now();
    this.failures = this.failures.filter((t) => t > now - FAILURE_WINDOW_MS);
    if (this.failures.length >= MAX_FAILURES) return 'throttled';
    if (!timingSafeEqual(digestBuffer(candidate.trim()), digestBuffer(this.token))) {
      this.failures.push(now);
      return undefined;
    }
    for (const [id, expires] of this.sessions) if (expires < now) this.sessions.delete(id);
    const id = randomBytes(32).toString('base64url');
    // only a digest is kept: a heap dump of the host does not hold a usable session
    this.sessions.set(digest(id), now + SESSION_MS);
    return { cookie: `${SESSION_COOKIE}=${id}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}` };
  }

  logout(req: IncomingMessage): string {
    const id = readCookie(req, SESSION_COOKIE);
    if (id !== undefined) this.sessions.delete(digest(id));
    return `${SESSION_COOKIE}=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0`;
  }
}

function digestBuffer(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function digest(s: string): string {
  return digestBuffer(s).toString('hex');
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
