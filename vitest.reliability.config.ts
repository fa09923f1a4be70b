import { defineConfig } from 'vitest/config';

// Fault tests that cut or restart the broker for EVERY client on it: one file at a time, nothing
// else running, generous timeouts (a broker restart takes ~5 s, reconnect backoff adds more).
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
