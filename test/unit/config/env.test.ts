import { describe, expect, it } from 'vitest';
import { configFromEnv, readEnvOverlay } from '../../../config/env.ts';
import { isStokcerdasError, ErrorCodes } from '../../../runtime/errors.ts';

describe('configFromEnv', () => {
  it('maps every EVENT_BUS_* and RABBITMQ_* variable and our own to its config path', () => {
    const config = configFromEnv({
      RABBITMQ_URL: 'amqp://mq.internal:5672',
      EVENT_BUS_LOCAL_ENABLED: 'false',
      EVENT_BUS_DISTRIBUTED_ENABLED: 'true',
      EVENT_BUS_DEFAULT_TTL: '60000',
      EVENT_BUS_DEFAULT_PRIORITY: '7',
      EVENT_BUS_MAX_RETRIES: '6',
      EVENT_BUS_RETRY_DELAY: '2500',
      EVENT_BUS_BATCH_SIZE: '25',
      EVENT_BUS_FLUSH_INTERVAL: '750',
      STOKCERDAS_PREFIX: 'staging',
      STOKCERDAS_QUEUE_TYPE: 'quorum',
      STOKCERDAS_HTTP_PORT: '9100',
      STOKCERDAS_HTTP_HOST: '0.0.0.0',
      STOKCERDAS_HTTP_TOKEN: 's3cret',
      STOKCERDAS_LOG_LEVEL: 'debug',
      STOKCERDAS_PLUGINS_DIR: 'extra-plugins',
      STOKCERDAS_PLUGINS_STRICT: 'yes',
    });
    expect(config).toEqual({
      broker: { url: 'amqp://mq.internal:5672', defaultTtlMs: 60000, defaultPriority: 7, prefix: 'staging', queueType: 'quorum' },
      transport: 'amqp',
      local: { enabled: false },
      retry: { maxAttempts: 6, delayMs: 2500 },
      batch: { size: 25, flushMs: 750 },
      http: { port: 9100, host: '0.0.0.0', token: 's3cret' },
      log: { level: 'debug' },
      plugins: { dir: 'extra-plugins', strict: true },
    });
  });

  it('builds an amqp URL from RABBITMQ_* with the user, password and vhost URL-encoded', () => {
    const config = configFromEnv({
      RABBITMQ_HOST: 'rabbit',
      RABBITMQ_PORT: '5673',
      RABBITMQ_USERNAME: 'stok@cerdas',
      RABBITMQ_PASSWORD: 'p:ss/w@rd#1',
      RABBITMQ_VHOST: 'prod/id',
    });
    expect(config.broker?.url).toBe('amqp://stok%40cerdas:p%3Ass%2Fw%40rd%231@rabbit:5673/prod%2Fid');
    const url = new URL(config.broker!.url!);
    expect(decodeURIComponent(url.password)).toBe('p:ss/w@rd#1');
    expect(url.hostname).toBe('rabbit');
  });

  it('fills missing RABBITMQ_* parts with the seed defaults: port 5672, guest/guest, vhost "/"', () => {
    expect(configFromEnv({ RABBITMQ_HOST: 'rabbit' }).broker?.url).toBe('amqp://guest:guest@rabbit:5672/%2F');
  });

  it('prefers RABBITMQ_URL over the RABBITMQ_* parts', () => {
    const config = configFromEnv({ RABBITMQ_URL: 'amqp://u:p@primary', RABBITMQ_HOST: 'ignored' });
    expect(config.broker?.url).toBe('amqp://u:p@primary');
  });

  it('maps EVENT_BUS_DISTRIBUTED_ENABLED=false to the memory transport', () => {
    expect(configFromEnv({ EVENT_BUS_DISTRIBUTED_ENABLED: '0' }).transport).toBe('memory');
  });

  it('leaves the broker and transport unset when no broker variable is present', () => {
    expect(configFromEnv({ PATH: '/usr/bin', HOME: '/root' })).toEqual({});
  });

  it('treats an empty variable as unset', () => {
    expect(configFromEnv({ RABBITMQ_HOST: '', EVENT_BUS_MAX_RETRIES: '  ' })).toEqual({});
  });

  it('reports every bad value by its variable name in one error', () => {
    const env = {
      EVENT_BUS_MAX_RETRIES: 'abc',
      EVENT_BUS_LOCAL_ENABLED: 'maybe',
      STOKCERDAS_QUEUE_TYPE: 'mirrored',
      RABBITMQ_PORT: 'fifty',
    };
    expect(readEnvOverlay(env).problems.map((p) => p.path).sort()).toEqual(
      ['EVENT_BUS_LOCAL_ENABLED', 'EVENT_BUS_MAX_RETRIES', 'RABBITMQ_PORT', 'STOKCERDAS_QUEUE_TYPE'],
    );
    try {
      configFromEnv(env);
      expect.unreachable();
    } catch (err) {
      expect(isStokcerdasError(err, ErrorCodes.CONFIG_INVALID)).toBe(true);
      expect((err as Error).message).toMatch(/EVENT_BUS_MAX_RETRIES: expected an integer, got "abc"/);
      expect((err as Error).message).toMatch(/EVENT_BUS_LOCAL_ENABLED: expected true\/false/);
    }
  });
});
