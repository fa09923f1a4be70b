import { defineConfig } from 'vitest/config';

// Reliability tests cut or restart the broker: they run in their own pass (vitest.reliability.config.ts),
// one file at a time, so they never disturb the tests that run in parallel here. The console's
// browser test runs there too: beside ~100 files in parallel on 2 cores its replay round trip
// through a real Chromium and RabbitMQ missed 45 s deadlines, alone it takes ~10 s.
export default defineConfig({
  // tsconfig.json's paths: 'stokcerdas' is the TypeScript sources here (plain node takes dist/)
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts'],
    exclude: ['test/reliability/**', 'test/integration/console/console.browser.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
