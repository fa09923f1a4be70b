import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ErrorCodes, isStokcerdasError } from '../../errors.ts';
import { loadAssets, type Asset } from './assets.ts';
import { ConsoleInputError, DeadLetterOps } from './dead-letters.ts';
import { QueueDepths } from './depths.ts';
import { JobRegistry } from './jobs.ts';
import { loginPage } from './login.ts';
import { readForm, readJson, redirect, sameOrigin, sendJson, sendText } from './respond.ts';
import { RateSampler } from './sampler.ts';
import { ConsoleSessions } from './session.ts';
import type { ConsoleSource } from './source.ts';
import { EventStream } from './stream.ts';
import { bindingsView, overviewView, shownQueues } from './views.ts';

/** What the HTTP server hands every request under /ui to. */
export interface ConsoleHandler {
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /** ends the live streams (a server waiting for them would not close) and stops sampling */
  close(): void;
}

const PAGES = new Set(['/ui', '/ui/overview', '/ui/bindings', '/ui/dead-letters']);

/**
 * The operator's console: three pages (overview, bindings, dead letters) as plain ES modules,
 * a JSON API under /ui/api and live updates over Server-Sent Events.
 */
export async function createConsole(source: ConsoleSource, options: { token?: string; logger: Logger }): Promise<ConsoleHandler> {
  const logger = options.logger.child({ component: 'console' });
  const assets: Map<string, Asset> = await loadAssets();
  const sessions = new ConsoleSessions(options.token?.trim() ? options.token.trim() : undefined);
  const stream = new EventStream();
  const sampler = new RateSampler(() => source.stats(), source.registry);
  const depths = new QueueDepths(source.transport);
  const jobs = new JobRegistry((job) => stream.send('job', job));
  const deadLetters = new DeadLetterOps(source, jobs);

  sampler.start(() => {
    if (stream.size === 0) return;
    stream.send('overview', overviewView(source, sampler, false));
    void depths.refresh(shownQueues(source)).then(() => stream.send('bindings', bindingsView(source, sampler, depths)));
  });

  const api: Record<string, (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void> | void> = {
    'GET /ui/api/overview': (_req, res) => sendJson(res, 200, overviewView(source, sampler, true)),
    'GET /ui/api/bindings': async (_req, res) => {
      await depths.refresh(shownQueues(source));
      sendJson(res, 200, bindingsView(source, sampler, depths));
    },
    'POST /ui/api/bindings/pause': (req, res) => pauseOrResume(req, res, 'pause'),
    'POST /ui/api/bindings/resume': (req, res) => pauseOrResume(req, res, 'resume'),
    'GET /ui/api/dlq': async (_req, res) => sendJson(res, 200, await deadLetters.list()),
    'GET /ui/api/dlq/letters': async (_req, res, query) => sendJson(res, 200, await deadLetters.page(query)),
    'POST /ui/api/dlq/replay': async (req, res) => sendJson(res, 202, deadLetters.replay(await readJson(req))),
    'POST /ui/api/dlq/purge': async (req, res) => sendJson(res, 202, deadLetters.purge(await readJson(req))),
    'GET /ui/api/jobs': (_req, res) => sendJson(res, 200, jobs.list()),
    'GET /ui/api/stream': (req, res) =>
      stream.attach(req, res, [
        { event: 'overview', data: overviewView(source, sampler, true) },
        { event: 'bindings', data: bindingsView(source, sampler, depths) },
        // a page that reconnects catches up on jobs that changed while it was away
        ...jobs.list().slice().reverse().map((job) => ({ event: 'job', data: job })),
      ]),
  };

  async function pauseOrResume(req: IncomingMessage, res: ServerResponse, what: 'pause' | 'resume'): Promise<void> {
    const body = (await readJson(req)) as { key?: unknown };
    if (typeof body.key !== 'string') throw new ConsoleInputError('send { "key": "plugin/handler" }');
    // resolves once the consumer is cancelled and its deliveries settled, or consuming again
    await source.control[what](body.key);
    logger.info({ binding: body.key, by: 'console' }, `binding ${what}d from the console`);
    sendJson(res, 200, { key: body.key, paused: source.control.isPaused(body.key) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://host');
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    if (url.searchParams.has('token') || url.searchParams.has('access_token')) {
      return sendJson(res, 400, { error: 'token-in-url', message: 'never put the token in a URL (it lands in logs and history): send Authorization: Bearer, or sign in at /ui/login' });
    }
    if (path.startsWith('/ui/assets/')) {
      const asset = method === 'GET' ? assets.get(path.slice('/ui/assets/'.length)) : undefined;
      if (!asset) return sendJson(res, 404, { error: 'not-found', message: `no console file ${path}` });
      return sendText(res, 200, asset.type, asset.body);
    }
    if (path === '/ui/login') return login(req, res, method);
    if (path === '/ui/logout' && method === 'POST') return redirect(res, '/ui/login', { 'set-cookie': sessions.logout(req) });

    const auth = sessions.check(req);
    const isApi = path.startsWith('/ui/api/');
    if (!auth.ok) {
      if (!isApi && method === 'GET') return redirect(res, '/ui/login');
      res.setHeader('www-authenticate', 'Bearer realm="stokcerdas"');
      return sendJson(res, 401, { error: auth.reason, message: 'sign in at /ui/login, or send Authorization: Bearer <http.token>' });
    }
    if (!isApi) {
      if (method !== 'GET' || !PAGES.has(path)) return sendJson(res, 404, { error: 'not-found', message: `no console page ${path} (try /ui, /ui/bindings, /ui/dead-letters)` });
      return sendText(res, 200, 'text/html; charset=utf-8', assets.get('index.html')!.body);
    }
    const route = api[`${method} ${path}`];
    if (!route) return sendJson(res, 404, { error: 'not-found', message: `no console API ${method} ${path}` });
    if (method !== 'GET' && (!sameOrigin(req) || !/^application\/json\b/i.test(req.headers['content-type'] ?? ''))) {
      return sendJson(res, 403, { error: 'cross-origin', message: 'changes are accepted only as JSON from the console page itself' });
    }
    try {
      await route(req, res, url.searchParams);
    } catch (err) {
      if (err instanceof ConsoleInputError || err instanceof SyntaxError || err instanceof RangeError) {
        return sendJson(res, 400, { error: 'bad-request', message: err.message });
      }
      if (isStokcerdasError(err, ErrorCodes.BINDING_UNKNOWN)) return sendJson(res, 404, { error: 'unknown-binding', message: err.message });
      throw err;
    }
  }

  async function login(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (sessions.open) return redirect(res, '/ui');
    if (method === 'GET') return sendText(res, 200, 'text/html; charset=utf-8', loginPage(assets));
    if (method !== 'POST') return sendJson(res, 405, { error: 'method-not-allowed', message: 'GET or POST /ui/login' });
    if (!sameOrigin(req)) return sendJson(res, 403, { error: 'cross-origin', message: 'sign in from the console page itself' });
    const form = await readForm(req);
    const result = sessions.login(form.get('token') ?? '');
    if (result === 'throttled') return sendText(res, 429, 'text/html; charset=utf-8', loginPage(assets, 'Too many wrong tokens: wait a minute.'), { 'retry-after': '60' });
    if (!result) {
      logger.warn('console sign-in with a wrong token');
      return sendText(res, 401, 'text/html; charset=utf-8', loginPage(assets, 'That token is not this host’s http.token.'));
    }
    return redirect(res, '/ui', { 'set-cookie': result.cookie });
  }

  return {
    handle,
    close() {
      sampler.stop();
      stream.close();
    },
  };
}
