import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import { PLUGIN_NAME, pluginLabel } from './validate.ts';
import type { PayloadFor } from '../events/event-types.ts';

/**
 * `stokcerdas new-plugin <name>`: a plugin folder whose generated fake-bus test passes as it
 * stands, so a new author starts from green and changes one thing at a time.
 */

/** The `inventory.stock.level.changed` payload the generated test publishes: the canonical shape, stock at 4 of a reorder point of 10. */
export const scaffoldPayload: PayloadFor<'inventory.stock.level.changed'> = {
  productData: { id: 'SKU-1', name: 'Beras 5kg' },
  locationData: { id: 'WH-JKT', province: 'ID-JK' },
  stockMovement: { type: 'sale', quantity: -16 },
  stockLevel: { previous: 20, current: 4, reorderPoint: 10 },
};

function pluginSource(name: string): string {
  return `import { definePlugin } from 'stokcerdas';

export default definePlugin({
  name: '${name}',
  version: '0.1.0',
  description: 'Announces low stock when a product falls to its reorder point or below.',
  handlers: {
    lowStock: {
      // no exchange or queue: the runtime uses inventory.events and a queue of its own
      subscribe: { routingKeys: ['inventory.stock.level.changed'] },
      // \`event.data\` is typed from the routing key: productData, locationData, stockMovement, stockLevel
      async handle(event, ctx) {
        const { productData, locationData, stockLevel } = event.data;
        if (stockLevel.reorderPoint === undefined || stockLevel.current > stockLevel.reorderPoint) return;
        // checked against the inventory.stock.low schema at compile time; sent only after this
        // handler succeeds (outbox), with this event's ids carried over
        ctx.publish('inventory.stock.low', {
          productData,
          locationData,
          stockLevel: { current: stockLevel.current, reorderPoint: stockLevel.reorderPoint },
          alertData: { severity: stockLevel.current === 0 ? 'critical' : 'warning' },
        });
      },
    },
  },
});
`;
}

function testSource(name: string): string {
  const payload = JSON.stringify(scaffoldPayload, null, 2)
    .replace(/"([A-Za-z]+)":/g, '$1:')
    .replace(/"/g, "'")
    .replace(/\n}$/, ',\n}');
  return `import { describe, expect, it } from 'vitest';
import type { PayloadFor } from 'stokcerdas';
import { createTestBus } from 'stokcerdas/testing';
import plugin from './index.ts';

// the seed's StockLevelChangedEvent payload; \`satisfies\` checks it against the event type at compile time
const lowStock = ${payload.replace(/,\n}$/, '\n}')} satisfies PayloadFor<'inventory.stock.level.changed'>;

describe('${name}', () => {
  it('requests an alert when stock falls to the reorder point or below', async () => {
    const bus = await createTestBus({ plugins: [plugin] });
    await bus.publish('inventory.stock.level.changed', lowStock);
    await bus.idle();
    expect(bus.consumed).toHaveLength(1);
    const alert = bus.published.find((e) => e.type === 'inventory.stock.low');
    expect(alert?.data).toMatchObject({ productData: { id: 'SKU-1' }, stockLevel: { current: 4, reorderPoint: 10 } });
    await bus.close();
  });

  it('stays quiet while stock is above the reorder point', async () => {
    const bus = await createTestBus({ plugins: [plugin] });
    await bus.publish('inventory.stock.level.changed', {
      ...lowStock,
      stockMovement: { type: 'sale', quantity: -5 },
      stockLevel: { previous: 20, current: 15, reorderPoint: 10 },
    });
    await bus.idle();
    expect(bus.consumed).toHaveLength(1);
    expect(bus.published.map((e) => e.type)).not.toContain('inventory.stock.low');
    await bus.close();
  });
});
`;
}

/** Creates `<dir>/<name>/index.ts` and `index.test.ts`; returns their absolute paths. Never overwrites. */
export async function scaffoldPlugin({ dir, name }: { dir: string; name: string }): Promise<string[]> {
  if (!PLUGIN_NAME.test(name)) {
    throw new StokcerdasError(
      ErrorCodes.PLUGIN_INVALID,
      `new-plugin: "${name}" is not a valid plugin name: use kebab-case, e.g. "low-stock-alert" (lowercase letters, digits and -)`,
      { plugin: name },
    );
  }
  const folder = join(resolve(dir), name);
  await mkdir(resolve(dir), { recursive: true });
  try {
    // not recursive: creating the folder is the check that nothing is there yet
    await mkdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new StokcerdasError(
      ErrorCodes.PLUGIN_DUPLICATE,
      `new-plugin: ${pluginLabel(folder)} already exists: choose another name or remove the folder first`,
      { plugin: name, folder },
    );
  }
  const files: [string, string][] = [
    [join(folder, 'index.ts'), pluginSource(name)],
    [join(folder, 'index.test.ts'), testSource(name)],
  ];
  for (const [file, text] of files) await writeFile(file, text, { flag: 'wx' });
  return files.map(([file]) => file);
}
