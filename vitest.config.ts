import { defineConfig } from 'vitest/config';

// Reliability tests cut or restart the broker: they run in their own pass (vitest.reliability.config.ts),
// one file at a time, so they never disturb the tests that run in parallel here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts'],
    exclude: ['test/reliability/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
