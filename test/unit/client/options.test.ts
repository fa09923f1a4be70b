/**
 * The client on the memory transport: extra CloudEvents extensions and `persistent: false` reach
 * the message; the runtime's own attributes cannot be overridden; state errors are coded.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from 'stokcerdas';
import { createClient } from 'stokcerdas/client';
import { silentLogger } from '../../../runtime/observability/logger.ts';

const data = { productData: { id: 'P' } };

describe('client publish options', () => {
  it('carries extensions and the delivery mode, and refuses the runtime\'s own names', async () => {
    const client = await createClient({ transport: 'memory', broker: { prefix: 'opt' } }, { logger: silentLogger });
    try {
      await client.transport.assertTopology({ exchanges: [], queues: [{ name: 'opt.tap' }], routes: [{ exchange: 'opt.inventory.events', queue: 'opt.tap', routingKey: '#' }] });
      await client.publish('inventory.product.created', data, { extensions: { messagetype: 'product_created', attempt: 2 }, persistent: false });
      const got = await client.transport.get('opt.tap');
      expect(got).not.toBeNull();
      await got!.settle('ack');
      expect(got!.delivery.properties.persistent).toBe(false);
      expect(JSON.parse(got!.delivery.body.toString())).toMatchObject({ type: 'inventory.product.created', messagetype: 'product_created', attempt: 2, data });

      const refused: Record<string, string | number>[] = [{ tenantid: 'x' }, { indozone: 'WIT' }, { specversion: '2.0' }, { 'Bad-Name': 'x' }, { ratio: 1.5 }];
      for (const extensions of refused) {
        await expect(client.publish('inventory.product.created', data, { extensions })).rejects.toMatchObject({ code: ErrorCodes.EVENT_INVALID });
      }
      expect(client.stats()).toMatchObject({ transport: 'memory', published: { 'inventory.product.created': 1 }, failed: 5 });
    } finally {
      await client.close();
    }
  });

  it('refuses an invalid config with every problem by path', async () => {
    await expect(createClient({ broker: { prefix: 'has space', defaultPriority: 12 } })).rejects.toMatchObject({
      code: ErrorCodes.CONFIG_INVALID,
      message: expect.stringMatching(/broker\.prefix[\s\S]*broker\.defaultPriority/),
    });
  });
});
