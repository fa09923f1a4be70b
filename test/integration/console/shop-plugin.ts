import { definePlugin, NonRetryableError } from 'stokcerdas';

/** What the console's browser test controls and observes: a marketplace that can be down. */
export interface ShopState {
  marketplaceDown: boolean;
  handled: Array<{ handler: string; id: string; orderId?: string }>;
}

/** the order id of an orders.* event: the seed's `orderData.id`, or a flat `orderId` */
export function orderIdOf(data: unknown): string {
  const d = data as { orderData?: { id?: unknown }; orderId?: unknown };
  return String(d.orderData?.id ?? d.orderId);
}

/** an order event's payload in the seed's shape */
export const order = (id: string) => ({ orderData: { id, channel: 'shopee', status: 'paid' } });

export function shopPlugin(state: ShopState) {
  return definePlugin({
    name: 'shop',
    version: '1.0.0',
    handlers: {
      orders: {
        subscribe: { routingKeys: ['orders.order.created'] },
        async handle(event) {
          state.handled.push({ handler: 'orders', id: event.id });
        },
      },
      marketplace: {
        subscribe: { routingKeys: ['orders.order.paid'] },
        retry: { maxAttempts: 2, delayMs: 100 },
        async handle(event) {
          const orderId = orderIdOf(event.data);
          if (state.marketplaceDown) {
            // a refusal is final; a timeout is worth another attempt
            if (orderId.includes('slow')) throw new Error(`marketplace timed out on ${orderId}`);
            throw new NonRetryableError(`marketplace refused ${orderId}: maintenance window`);
          }
          state.handled.push({ handler: 'marketplace', id: event.id, orderId });
        },
      },
    },
  });
}
