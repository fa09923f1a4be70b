/** Every default in one place (DESIGN §8). The schema applies them; code reads the resolved config. */
export const defaults = {
  broker: {
    prefix: 'stokcerdas',
    queueType: 'classic' as const,
    // high enough that a few node losses (each redelivers what was unacked) never reach it, low
    // enough that a message which kills its consumer every time stops looping
    deliveryLimit: 20,
    prefetch: 200,
    concurrency: 32,
    heartbeatSec: 30,
    publishBufferSize: 10_000,
    defaultTtlMs: 1_800_000,
    defaultPriority: 5,
    reconnect: { initialDelayMs: 500, maxDelayMs: 30_000 },
  },
  local: { enabled: true },
  plugins: { dir: 'plugins', strict: false },
  retry: { maxAttempts: 3, delayMs: 5_000, multiplier: 2, maxDelayMs: 300_000 },
  batch: { size: 100, flushMs: 5_000 },
  timeoutMs: 30_000,
  workers: { minThreads: 1, maxThreads: 2, idleTimeoutMs: 60_000, maxQueue: 1_000 },
  dedupe: { maxEntries: 100_000, ttlMs: 24 * 3600_000 },
  http: { enabled: true, host: '127.0.0.1', port: 8080, bodyLimitBytes: 1_048_576 },
  log: { level: 'info' as const },
  shutdown: { drainTimeoutMs: 30_000 },
};
