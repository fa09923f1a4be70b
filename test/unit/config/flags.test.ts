import { describe, expect, it } from 'vitest';
import { configFromFlags, parseCliArgs, readFlagsOverlay } from '../../../config/flags.ts';

describe('parseCliArgs', () => {
  it('splits the command, its positionals, --config and the config flags', () => {
    const parsed = parseCliArgs([
      'dlq', 'list', 'ml.forecasting', '--config', 'deploy/stokcerdas.config.ts', '--prefix', 'ci',
      '--broker-url', 'amqp://mq', '--transport', 'amqp', '--http-port', '9001', '--http-host', '0.0.0.0',
      '--log-level', 'warn', '--plugins-dir', 'p', '--strict',
    ]);
    expect(parsed.command).toBe('dlq');
    expect(parsed.positionals).toEqual(['list', 'ml.forecasting']);
    expect(parsed.configPath).toBe('deploy/stokcerdas.config.ts');
    expect(parsed.flags).toEqual({
      prefix: 'ci', brokerUrl: 'amqp://mq', transport: 'amqp', httpPort: '9001', httpHost: '0.0.0.0',
      logLevel: 'warn', pluginsDir: 'p', strict: true,
    });
  });

  it('accepts a command\'s own options alongside the config flags', () => {
    const parsed = parseCliArgs(['publish', 'orders.created', '{}', '--tenant', 't1'], { tenant: { type: 'string' } });
    expect(parsed.values.tenant).toBe('t1');
    expect(parsed.positionals).toEqual(['orders.created', '{}']);
  });

  it('rejects an unknown option', () => {
    expect(() => parseCliArgs(['start', '--prefixx', 'x'])).toThrow(/--prefixx/);
  });
});

describe('configFromFlags', () => {
  it('maps each flag to its config path', () => {
    expect(configFromFlags({
      prefix: 'ci', brokerUrl: 'amqp://mq', transport: 'memory', httpPort: '0', httpHost: '::1',
      logLevel: 'ERROR', pluginsDir: 'p', strict: true,
    })).toEqual({
      broker: { prefix: 'ci', url: 'amqp://mq' },
      transport: 'memory',
      http: { port: 0, host: '::1' },
      log: { level: 'error' },
      plugins: { dir: 'p', strict: true },
    });
  });

  it('reports every bad flag by its name', () => {
    const { problems } = readFlagsOverlay({ transport: 'kafka', httpPort: 'eighty', logLevel: 'loud' });
    expect(problems.map((p) => p.path)).toEqual(['--transport', '--http-port', '--log-level']);
    expect(() => configFromFlags({ transport: 'kafka' })).toThrow(/--transport: expected one of memory\|amqp/);
  });
});
