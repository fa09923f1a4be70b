/** Every default in one place. The schema applies them; code reads the resolved config. */
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
    /**
     * The RabbitMQ a host reaches when it must use AMQP (`transport: 'amqp'`, or RABBITMQ_HOST and
     * friends) but was given no URL: a local broker with the guest account on vhost "/". Not a
     * default for `broker.url` itself, whose absence selects the memory transport.
     */
    local: { host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest', vhost: '/' },
  },
  /** 'auto' = amqp when a broker URL is configured, memory otherwise */
  transport: 'auto' as const,
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
  /** the Indonesian business context (the calendar itself is runtime/context/indonesia) */
  context: {
    timezone: 'Asia/Jakarta',
    businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] as readonly number[] },
    /** cuti bersama is a day off for civil servants; private employers choose, so default closed */
    cutiBersamaIsBusinessDay: false,
    /**
     * Monthly demand multipliers, January first: Indonesian e-commerce peaks at 11.11 and 12.12 and
     * the year end, and July is the new school year. Ramadan moves through the months, so it is an
     * uplift of its own instead of a month.
     */
    seasonalFactors: [1, 1, 1, 1, 1, 1, 1.05, 1, 1, 1, 1.1, 1.2] as readonly number[],
    ramadanUplift: 1.2,
    /** the last days before Lebaran (mudik, THR paid out): the year's largest demand peak */
    preLebaranUplift: 1.5,
    preLebaranDays: 10,
  },
};

/** `defaults.broker.local` as a URL (RabbitMQ lets the guest account in only from its own machine). */
export const localBrokerUrl = ((l) => `amqp://${l.username}:${l.password}@${l.host}:${l.port}`)(defaults.broker.local);
