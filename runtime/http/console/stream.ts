import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './respond.ts';

const HEARTBEAT_MS = 15_000;

/** Server-Sent Events to every open console page. */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  get size(): number {
    return this.clients.size;
  }

  attach(req: IncomingMessage, res: ServerResponse, first: Array<{ event: string; data: unknown }>): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // a browser that lost the stream reconnects after this long
    res.write('retry: 2000\n\n');
    for (const m of first) res.write(frame(m.event, m.data));
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
    if (!this.heartbeat) {
      // a comment line keeps proxies and idle timers from closing a quiet stream
      this.heartbeat = setInterval(() => this.each((c) => c.write(': ping\n\n')), HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = frame(event, data);
    this.each((c) => c.write(text));
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.each((c) => c.end());
    this.clients.clear();
  }

  private each(fn: (c: ServerResponse) => void): void {
    for (const c of this.clients) {
      if (c.destroyed || c.writableEnded) this.clients.delete(c);
      else fn(c);
    }
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
