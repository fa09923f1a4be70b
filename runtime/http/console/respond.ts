import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The page may run only the host's own scripts and styles and talk only to the host: no inline
 * script or style, no other origin, no framing, forms post only here.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string, extra: Record<string, string> = {}): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location, ...extra });
  res.end();
}

/**
 * A state-changing request must come from the console's own page: a JSON body (a form on another
 * site cannot send one without a CORS preflight, which this server never grants) and, when the
 * browser names its origin, this host's.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `http://${req.headers.host ?? ''}` || origin === `https://${req.headers.host ?? ''}`;
}

export async function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const text = await readBody(req, limit);
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

export async function readForm(req: IncomingMessage, limit = 8 * 1024): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req, limit));
}

/** The request's body as text; over `limit` bytes is a RangeError (answered 400). */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RangeError(`body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
