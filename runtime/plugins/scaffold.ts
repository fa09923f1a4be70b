import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import { PLUGIN_NAME, pluginLabel } from './validate.ts';

/**
 * `stokcerdas new-plugin <name>`: a plugin folder whose generated fake-bus test passes as it
 * stands, so a new author starts from green and changes one thing at a time.
 */

/** The `inventory.stock.level.changed` payload the generated test publishes (the lead's schema accepts it). */
export const scaffoldPayload = {
  productId: 'SKU-1',
  productName: 'Beras 5kg',
  locationId: 'WH-JKT',
  previousLevel: 20,
  newLevel: 4,
  quantityChanged: -16,
  reorderPoint: 10,
  tenantId: 't1',
} as const;

function pluginSource(name: string): string {
  return `import { definePlugin } from 'stokcerdas';

/** The fields of \`inventory.stock.level.changed\` this plugin reads. */
interface StockLevelChanged {
  productId: string;
  productName: string;
  locationId: string;
  newLevel: number;
  reorderPoint: number;
}

export default definePlugin({
  name: '${name}',
  version: '0.1.0',
  description: 'Announces low stock when a product falls to its reorder point or below.',
  handlers: {
    lowStock: {
      // no exchange or queue: the runtime uses inventory.events and a queue of its own
      subscribe: { routingKeys: ['inventory.stock.level.changed'] },
      async handle(event: { data: StockLevelChanged }, ctx) {
        const stock = event.data;
        if (stock.newLevel > stock.reorderPoint) return;
        // sent only after this handler succeeds (outbox), with this event's ids carried over
        ctx.publish('inventory.stock.low', {
          productId: stock.productId,
          productName: stock.productName,
          locationId: stock.locationId,
          currentLevel: stock.newLevel,
          reorderPoint: stock.reorderPoint,
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
import { createTestBus } from 'stokcerdas/testing';
import plugin from './index.ts';

const lowStock = ${payload};

describe('${name}', () => {
  it('requests an alert when stock falls to the reorder point or below', async () => {
    const bus = await createTestBus({ plugins: [plugin] });
    await bus.publish('inventory.stock.level.changed', lowStock);
    await bus.idle();
    expect(bus.consumed).toHaveLength(1);
    expect(bus.published.map((e) => e.type)).toContain('inventory.stock.low');
    await bus.close();
  });

  it('stays quiet while stock is above the reorder point', async () => {
    const bus = await createTestBus({ plugins: [plugin] });
    await bus.publish('inventory.stock.level.changed', { ...lowStock, newLevel: 15, quantityChanged: -5 });
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
