import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ErrorCodes, StokcerdasError, isStokcerdasError } from '../errors.ts';
import type { EventLoopDelay } from '../observability/event-loop.ts';
import { checkBearer, httpConfigProblems } from './auth.ts';
import { parseIngestBody, type IngestItem } from './ingest.ts';
import type { Readiness } from './readiness.ts';
import type { ConsoleHandler } from './console/index.ts';

/** What the server reads from the host: kept narrow so the server can be tested on its own. */
export interface HttpSurface {
  readiness(): Readiness;
  /** host.stats() with the redacted config: never a secret */
  stats(): unknown;
  metrics: { text(): Promise<string>; readonly contentType: string };
  /** validates every item before sending any; resolves after the broker confirmed them all */
  publishMany(items: IngestItem[]): Promise<Array<{ id: string; type: string }>>;
  eventLoop(): EventLoopDelay;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  token?: string;
  bodyLimitBytes: number;
  logger: Logger;
  /** /healthz answers 503 when the event loop was this late in the last 5–10 s */
  maxEventLoopDelayMs?: number;
  /** the browser console, served under /ui with its own sign-in (bearer token or session cookie) */
  console?: ConsoleHandler;
}

export interface HttpServer {
  listen(): Promise<{ host: string; port: number }>;
  /** stop accepting, let in-flight requests finish (up to `graceMs`), then close every connection */
  close(graceMs?: number): Promise<void>;
  address(): { host: string; port: number } | undefined;
}

const DEFAULT_MAX_LOOP_DELAY_MS = 2_000;
// probes must work without a secret (Docker HEALTHCHECK, kubelet); everything else is behind the token
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

/** The operator's HTTP surface on node:http: /healthz, /readyz, /metrics, /stats, POST /events. */
export function createHttpServer(surface: HttpSurface, options: HttpServerOptions): HttpServer {
  const logger = options.logger.child({ component: 'http' });
  const token = options.token?.trim() ? options.token.trim() : undefined;
  // the host's preflight already refused this; a server built on its own keeps the same rule
  const [tokenProblem] = httpConfigProblems({ enabled: true, host: options.host, token });
  if (tokenProblem) throw new StokcerdasError(ErrorCodes.CONFIG_INVALID, tokenProblem, { path: 'http.token' });
  const maxDelay = options.maxEventLoopDelayMs ?? DEFAULT_MAX_LOOP_DELAY_MS;

  const routes: Record<string, Partial<Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void>>> = {
    '/healthz': {
      GET: (_req, res) => {
        const delay = surface.eventLoop();
        const healthy = delay.maxMs < maxDelay;
        json(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'event-loop-blocked', eventLoopDelayMs: delay, uptimeSec: Math.round(process.uptime()) });
      },
    },
    '/readyz': {
      GET: (_req, res) => {
        const r = surface.readiness();
        json(res, r.ready ? 200 : 503, r);
      },
    },
    '/metrics': {
      GET: async (_req, res) => {
        const text = await surface.metrics.text();
        res.writeHead(200, { 'content-type': surface.metrics.contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
    },
    '/stats': { GET: (_req, res) => json(res, 200, surface.stats()) },
    '/events': { POST: (req, res) => ingest(req, res) },
  };

  async function ingest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = req.headers['content-type'];
    if (type !== undefined && !/json/i.test(type)) {
      json(res, 415, { error: 'unsupported-media-type', message: `send application/json or application/cloudevents+json (got ${type})` });
      return;
    }
    const body = await readBody(req, options.bodyLimitBytes);
    if (!body.ok) {
      res.setHeader('connection', 'close');
      json(res, 413, { error: 'body-too-large', message: `the body is over the limit of ${options.bodyLimitBytes} bytes (http.bodyLimitBytes): send fewer events per request` });
      return;
    }
    const readiness = surface.readiness();
    if (readiness.status !== 'ready' && readiness.status !== 'disconnected' && readiness.status !== 'not-consuming') {
      res.setHeader('retry-after', '1');
      json(res, 503, { error: 'not-ready', status: readiness.status, message: `the host is ${readiness.status}: try again (or another host)` });
      return;
    }
    const parsed = parseIngestBody(body.text);
    if (parsed.problems.length > 0) {
      json(res, 400, { error: 'invalid-events', problems: parsed.problems });
      return;
    }
    try {
      const published = await surface.publishMany(parsed.items);
      json(res, 202, { accepted: published.length, ids: published.map((e) => e.id), events: published.map((e) => ({ id: e.id, type: e.type })) });
    } catch (err) {
      if (isStokcerdasError(err, ErrorCodes.EVENT_INVALID)) {
        const invalid = (err.details.invalid as Array<{ index: number; message: string }> | undefined) ?? [{ index: 0, message: err.message }];
        json(res, 400, { error: 'invalid-events', problems: invalid.map((p) => (parsed.batch ? `[${p.index}]: ${p.message}` : p.message)) });
      } else if (isStokcerdasError(err, ErrorCodes.PUBLISH_BUFFER_FULL) || isStokcerdasError(err, ErrorCodes.TRANSPORT_CLOSED) || isStokcerdasError(err, ErrorCodes.HOST_STATE)) {
        res.setHeader('retry-after', '1');
        json(res, 503, { error: 'unavailable', code: err.code, message: err.message });
      } else {
        logger.error({ err }, 'POST /events: publish failed');
        json(res, 502, { error: 'publish-failed', code: isStokcerdasError(err) ? err.code : undefined, message: 'the broker did not confirm the events; nothing is known to be published: retry' });
      }
    }
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname.replace(/\/+$/, '') || '/';
    if (options.console && (path === '/ui' || path.startsWith('/ui/'))) {
      options.console.handle(req, res, path).catch((err: unknown) => {
        logger.error({ err, path }, 'console request failed');
        if (!res.headersSent) json(res, 500, { error: 'internal', message: 'internal error (see the host log)' });
        else res.destroy();
      });
      return;
    }
    const route = routes[path];
    if (!route) return json(res, 404, { error: 'not-found', message: `no route ${path} (try /healthz, /readyz, /metrics, /stats, POST /events${options.console ? ', /ui' : ''})` });
    const method = req.method === 'HEAD' && route.GET ? 'GET' : (req.method ?? 'GET');
    const handler = route[method];
    if (!handler) {
      res.setHeader('allow', Object.keys(route).join(', '));
      return json(res, 405, { error: 'method-not-allowed', message: `${req.method} ${path}: use ${Object.keys(route).join(' or ')}` });
    }
    if (token && !OPEN_PATHS.has(path)) {
      const auth = checkBearer(req, token);
      if (!auth.ok) {
        res.setHeader('www-authenticate', `Bearer realm="stokcerdas", error="${auth.error === 'token-missing' ? 'invalid_request' : 'invalid_token'}"`);
        req.resume();
        return json(res, 401, { error: auth.error, message: 'send Authorization: Bearer <http.token>' });
      }
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      logger.error({ err, path }, 'http handler failed');
      if (!res.headersSent) json(res, 500, { error: 'internal', message: 'internal error (see the host log)' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  let bound: { host: string; port: number } | undefined;
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException) => {
          reject(
            new StokcerdasError(
              ErrorCodes.HTTP_LISTEN_FAILED,
              `http: cannot listen on ${options.host}:${options.port} (${err.code ?? err.message}): choose another http.port / STOKCERDAS_HTTP_PORT, or set http.enabled: false`,
              { host: options.host, port: options.port },
              { cause: err },
            ),
          );
        };
        server.once('error', onError);
        server.listen(options.port, options.host, () => {
          server.off('error', onError);
          const addr = server.address() as AddressInfo;
          bound = { host: addr.address, port: addr.port };
          logger.info({ host: addr.address, port: addr.port, auth: token ? 'bearer token' : 'none (loopback only)' }, `http listening on ${addr.address}:${addr.port}`);
          resolve(bound);
        });
      }),
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        // the console's live streams never end on their own
        options.console?.close();
        if (!server.listening) return resolve();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
    address: () => bound,
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The body as text, or `ok: false` as soon as it is known to be over `limit` (Content-Length or counted). */
function readBody(req: IncomingMessage, limit: number): Promise<{ ok: true; text: string } | { ok: false }> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve({ ok: false });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
  });
}
