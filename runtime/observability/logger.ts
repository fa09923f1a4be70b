import pino, { type Logger } from 'pino';

/** Field names whose values never reach a log line, wherever they appear. */
const REDACT_PATHS = ['password', 'token', 'passphrase', 'key', 'url', '*.password', '*.token', '*.passphrase', '*.url', 'broker.url', 'config.broker.url', 'urls', '*.urls', 'broker.urls', 'config.broker.urls', 'headers.authorization'];

/**
 * pino JSON by default; pretty when stdout is a TTY (a person is watching). URLs are redacted as
 * whole values: they may carry credentials (amqp://user:pass@host).
 */
export function createLogger(options: { level: string; pretty?: boolean; name?: string; destination?: pino.DestinationStream }): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !options.destination);
  const base: pino.LoggerOptions = {
    level: options.level,
    name: options.name ?? 'stokcerdas',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  // synchronous writes: the last lines before process.exit ("stopped", a fatal error) must not be lost
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
