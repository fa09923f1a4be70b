/**
 * Rascal, configured as its users do: the vhost's exchanges, queues and bindings, one publication
 * (confirms on, which is Rascal's default; persistent) and one subscription (prefetch) as config,
 * then `broker.publish` / `subscription.on('message')`. Same topology as the runtime's: a durable
 * topic exchange into a durable queue with a dead-letter exchange and queue. Rascal serialises the
 * CloudEvent object to JSON on publish and parses it on delivery; a message counts as sent on its
 * publication's `success` (the broker's confirm), and is acked one by one (`ackOrNack()`).
 */
import rascal from 'rascal';
import { cloudEvent, measureWarm, sendWindowed, seqOf, type BenchCloudEvent, type LoopResult, type LoopSettings } from '../measure.ts';
import type { DeclaredNames, Side } from './contract.ts';

const routingKey = 'inventory.stock.level.changed';

function names(prefix: string) {
  return { exchange: `${prefix}.events`, dlx: `${prefix}.dlx`, queue: `${prefix}.q`, dlq: `${prefix}.q.dlq` };
}

async function runRascal(s: LoopSettings, prefix: string): Promise<LoopResult> {
  const n = names(prefix);
  const config = rascal.withDefaultConfig({
    vhosts: {
      '/': {
        connection: { url: s.url },
        exchanges: { [n.exchange]: { type: 'topic', options: { durable: true } }, [n.dlx]: { type: 'direct', options: { durable: true } } },
        queues: {
          [n.queue]: { options: { durable: true, arguments: { 'x-dead-letter-exchange': n.dlx, 'x-dead-letter-routing-key': n.queue } } },
          [n.dlq]: { options: { durable: true } },
        },
        bindings: {
          work: { source: n.exchange, destination: n.queue, destinationType: 'queue', bindingKey: routingKey },
          dead: { source: n.dlx, destination: n.dlq, destinationType: 'queue', bindingKey: n.queue },
        },
        publications: { stock: { exchange: n.exchange, routingKey, confirm: true, options: { persistent: true } } },
        subscriptions: { noop: { queue: n.queue, prefetch: s.prefetch } },
      },
    },
  });
  const broker = await rascal.BrokerAsPromised.create(config);
  broker.on('error', (err: Error) => console.error('rascal', err));
  try {
    let handled: (i: number) => void = () => {};
    const subscription = await broker.subscribe('noop');
    subscription.on('error', (err) => console.error('rascal subscription', err));
    subscription.on('message', (_message, content, ackOrNack) => {
      handled(seqOf(content as BenchCloudEvent));
      ackOrNack();
    });
    return await measureWarm(s, async (sentAt, onHandled) => {
      handled = onHandled;
      await sendWindowed(sentAt, s.window, (i, confirmed) => {
        broker.publish('stock', cloudEvent(i, s.bodyBytes)).then(
          (publication) => {
            publication.on('success', confirmed);
            publication.on('error', (err) => {
              console.error('rascal publish', err);
              process.exit(1);
            });
          },
          (err: unknown) => {
            console.error('rascal publish', err);
            process.exit(1);
          },
        );
      });
    });
  } finally {
    await broker.shutdown();
  }
}

export const rascalSide: Side = {
  run: (s, prefix) => runRascal(s, prefix),
  declared(prefix): DeclaredNames {
    const n = names(prefix);
    return { queues: [n.queue, n.dlq], exchanges: [n.exchange, n.dlx] };
  },
};
