import { defineConfig } from 'vitest/config';

// Fault tests that cut or restart the broker for EVERY client on it: one file at a time, nothing
// else running, generous timeouts (a broker restart takes ~5 s, reconnect backoff adds more). The
// console's browser test runs here as well, for the quiet machine it needs (see vitest.config.ts).
export default defineConfig({
  // tsconfig.json's paths: 'stokcerdas' is the TypeScript sources here (plain node takes dist/)
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/reliability/**/*.test.ts', 'test/integration/console/console.browser.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
