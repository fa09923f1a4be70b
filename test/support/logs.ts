import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** A debug-level pino logger whose JSON lines land, parsed, in `lines`. */
export function captureLogs(): { lines: Record<string, unknown>[]; logger: Logger } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}
