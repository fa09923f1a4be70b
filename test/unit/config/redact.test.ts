import { describe, expect, it } from 'vitest';
import { redactConfig, redactString } from '../../../config/redact.ts';
import { configSchema } from '../../../config/schema.ts';

const secrets = ['hunter2', 'tls-private-key', 'tls-pass', 'tls-cert-body', 'bearer-token', 'redis-pw', 'sendgrid-key'];

const config = configSchema.parse({
  broker: {
    url: 'amqps://stok:hunter2@mq.example.id:5671/prod',
    tls: { ca: 'public-ca', key: 'tls-private-key', passphrase: 'tls-pass', cert: 'tls-cert-body' },
  },
  http: { token: 'bearer-token' },
  dedupe: { redisUrl: 'redis://:redis-pw@cache:6379/0' },
  plugins: { options: { notifications: { apiKey: 'sendgrid-key', from: 'ops@stokcerdas.id' } } },
});

describe('redactConfig', () => {
  it('leaves no secret in the JSON of the redacted config', () => {
    const json = JSON.stringify(redactConfig(config));
    for (const secret of secrets) expect(json).not.toContain(secret);
  });

  it('masks only the password of the broker URL', () => {
    const redacted = redactConfig(config);
    expect(redacted.broker.url).toBe('amqps://stok:***@mq.example.id:5671/prod');
    expect(redacted.dedupe.redisUrl).toBe('redis://:***@cache:6379/0');
    expect(redacted.broker.tls).toEqual({ ca: 'public-ca', key: '***', passphrase: '***', cert: '***' });
    expect(redacted.http.token).toBe('***');
  });

  it('keeps the non-secret values', () => {
    const redacted = redactConfig(config);
    expect(redacted.broker.prefix).toBe('stokcerdas');
    expect(redacted.retry).toEqual(config.retry);
    expect(redacted.plugins.options).toEqual({ notifications: { apiKey: '***', from: 'ops@stokcerdas.id' } });
  });

  it('never mutates its input', () => {
    const before = JSON.stringify(config);
    redactConfig(config);
    expect(JSON.stringify(config)).toBe(before);
    expect(config.broker.url).toContain('hunter2');
  });
});

describe('redactString', () => {
  it('masks user:password@ in every URL of a message', () => {
    const out = redactString('dial amqp://bob:hunter2@mq:5672 failed, fallback "redis://u:redis-pw@cache" too');
    expect(out).toBe('dial amqp://bob:***@mq:5672 failed, fallback "redis://u:***@cache" too');
  });

  it('masks a password that itself contains an unencoded @', () => {
    const out = redactString('amqp://bob:hunt@r2@mq/vhost');
    expect(out).not.toContain('hunt');
    expect(out).not.toContain('r2');
    expect(out).toContain('@mq/vhost');
  });

  it('leaves URLs without a password alone', () => {
    expect(redactString('see http://localhost:8080/stats and amqp://guest@mq')).toBe('see http://localhost:8080/stats and amqp://guest@mq');
  });
});
