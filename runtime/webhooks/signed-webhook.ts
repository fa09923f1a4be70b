import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A signed JSON POST over real HTTP (Node's fetch, i.e. undici), shared by the notifications
 * webhook channel and integration-sync's webhook adapter.
 *
 * The signature is HMAC-SHA256 with the shared secret over `<timestamp>.<raw body>`, sent as
 * `X-StokCerdas-Signature: v1=<hex>` beside `X-StokCerdas-Timestamp: <unix seconds>`. Signing the
 * timestamp with the body (as Stripe and Standard Webhooks do) lets a receiver refuse a replayed
 * request with an old timestamp: signing the body alone would let anyone re-send it forever.
 */

export const SIGNATURE_HEADER = 'x-stokcerdas-signature';
export const TIMESTAMP_HEADER = 'x-stokcerdas-timestamp';

export function sign(secret: string, timestampSec: number, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSec}.${rawBody}`).digest('hex')}`;
}

/** For receivers (and tests): constant-time check, and the timestamp within `toleranceSec` of `nowSec`. */
export function verify(secret: string, headers: { signature?: string; timestamp?: string }, rawBody: string, nowSec: number, toleranceSec = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSec - ts) > toleranceSec || !headers.signature) return false;
  const expected = Buffer.from(sign(secret, ts, rawBody));
  const got = Buffer.from(headers.signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

export type WebhookOutcome =
  | { kind: 'ok'; status: number; durationMs: number }
  /** 429: the receiver asks us to slow down, maybe saying for how long */
  | { kind: 'rate-limited'; status: number; retryAfterMs?: number; durationMs: number }
  /** 5xx, 408, 409, 425, network error or timeout: worth trying again later */
  | { kind: 'unavailable'; status?: number; reason: string; durationMs: number }
  /** other 4xx: the receiver refuses this request; sending it again will not help */
  | { kind: 'rejected'; status: number; reason: string; durationMs: number };

export interface SignedPost {
  url: string;
  secret: string;
  body: string;
  timeoutMs: number;
  /** unix ms used for the timestamp header (the host's clock) */
  now: number;
  headers?: Record<string, string>;
  /** aborted by the runtime when the handler times out */
  signal?: AbortSignal;
}

const RETRYABLE_4XX = new Set([408, 409, 425]);

/** Never throws: every way a request can end is an outcome the caller classifies. */
export async function postSigned(req: SignedPost): Promise<WebhookOutcome> {
  const timestamp = Math.floor(req.now / 1000);
  const signals = [AbortSignal.timeout(req.timeoutMs), ...(req.signal ? [req.signal] : [])];
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let response: Response;
  try {
    response = await fetch(req.url, {
      method: 'POST',
      body: req.body,
      signal: AbortSignal.any(signals),
      redirect: 'error',
      headers: {
        ...req.headers,
        'content-type': 'application/json',
        'user-agent': 'stokcerdas-webhook/1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: sign(req.secret, timestamp, req.body),
      },
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `timed out after ${req.timeoutMs} ms` : `${e.name}: ${e.cause?.code ?? e.message}`;
    return { kind: 'unavailable', reason, durationMs: elapsed() };
  }
  // read (and so release) the body: an unread body keeps the pooled connection busy
  const text = await response.text().catch(() => '');
  const status = response.status;
  const durationMs = elapsed();
  if (status >= 200 && status < 300) return { kind: 'ok', status, durationMs };
  if (status === 429) return { kind: 'rate-limited', status, retryAfterMs: retryAfterMs(response.headers.get('retry-after'), req.now), durationMs };
  const reason = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  if (status >= 500 || RETRYABLE_4XX.has(status)) return { kind: 'unavailable', status, reason, durationMs };
  return { kind: 'rejected', status, reason, durationMs };
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
