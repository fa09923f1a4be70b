import { defineConfig } from 'stokcerdas';

// Defaults are in config/defaults.ts; environment variables (RABBITMQ_URL, EVENT_BUS_*) and CLI
// flags override what is here. With no broker URL the host runs on the embedded memory transport.
export default defineConfig({
  broker: {
    prefix: 'stokcerdas',
    queueType: 'classic',
    prefetch: 200,
  },
  plugins: {
    dir: 'plugins',
    strict: false,
    options: {},
  },
  bindings: {},
  retry: { maxAttempts: 3, delayMs: 5000, multiplier: 2, maxDelayMs: 300_000 },
  context: {
    timezone: 'Asia/Jakarta',
    businessHours: { start: '09:00', end: '17:00' },
  },
  http: { host: '127.0.0.1', port: 8080 },
  log: { level: 'info' },
});
