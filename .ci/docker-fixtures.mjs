// What .ci/docker-check.mjs mounts into the container: a plugins folder of its own and a config.

/** Logs its options at setup (proves the mounted config reached it) and each event it handles. */
export const probePlugin = `import { z } from 'zod';
import { definePlugin } from 'stokcerdas';

export default definePlugin({
  name: 'smoke',
  version: '1.0.0',
  options: z.object({ marker: z.string() }),
  events: { 'orders.smoke.probe': z.object({ probe: z.string(), slowMs: z.number().int().min(0).max(10_000).optional() }) },
  setup: ({ logger, options }) => logger.info({ marker: options.marker }, 'smoke setup'),
  handlers: {
    probe: {
      subscribe: { routingKeys: ['orders.smoke.probe'] },
      async handle(event: { id: string; data: { slowMs?: number } }, ctx) {
        ctx.logger.info('smoke started ' + event.id);
        if (event.data.slowMs) await new Promise((r) => setTimeout(r, event.data.slowMs));
        ctx.logger.info('smoke handled ' + event.id);
      },
    },
  },
});
`;

/** Loads and validates, then fails in setup(): what a missing secret or an unwritable path looks like. */
export const brokenPlugin = `import { definePlugin } from 'stokcerdas';

export default definePlugin({
  name: 'broken',
  version: '1.0.0',
  setup() {
    throw new Error('cannot reach its dependency');
  },
  handlers: { noop: { subscribe: { routingKeys: ['orders.smoke.ignored'] }, handle() {} } },
});
`;

/** The broker URL, prefix, HTTP port and token come from the environment, as in production. */
export const smokeConfig = `import { defineConfig } from 'stokcerdas';

export default defineConfig({
  broker: { prefix: 'overridden-by-STOKCERDAS_PREFIX', queueType: 'classic' },
  plugins: {
    dir: 'plugins',
    options: {
      smoke: { marker: 'from-the-mounted-config' },
      'ml-forecasting': { store: { kind: 'sqlite' } },
    },
  },
  log: { level: 'info' },
});
`;
