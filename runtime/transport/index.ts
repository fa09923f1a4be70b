import type { Logger } from 'pino';
import { localBrokerUrl } from '../../config/defaults.ts';
import type { ResolvedConfig } from '../../config/schema.ts';
import type { Clock } from '../clock/index.ts';
import { createAmqpTransport } from './amqp/index.ts';
import { createMemoryTransport } from './memory/index.ts';
import type { Transport } from './contract.ts';

export type * from './contract.ts';

/** No broker URL (and no RABBITMQ_* variable) means the embedded memory transport. */
export function selectTransportKind(config: Pick<ResolvedConfig, 'transport' | 'broker'>): 'memory' | 'amqp' {
  if (config.transport === 'memory') return 'memory';
  if (config.transport === 'amqp') return 'amqp';
  return config.broker.url || config.broker.urls ? 'amqp' : 'memory';
}

/** The nodes to try, in order: `broker.url` (the one-node form) first, then `broker.urls`, each once. */
export function brokerUrls(broker: Pick<ResolvedConfig['broker'], 'url' | 'urls'>): string[] {
  const all = [...(broker.url ? [broker.url] : []), ...(broker.urls ?? [])];
  const urls = [...new Set(all)];
  return urls.length > 0 ? urls : [localBrokerUrl];
}

export function createTransport(config: ResolvedConfig, deps: { clock: Clock; logger: Logger; hostName: string }): Transport {
  if (selectTransportKind(config) === 'memory') return createMemoryTransport({ clock: deps.clock });
  const { broker } = config;
  const urls = brokerUrls(broker);
  return createAmqpTransport({
    url: urls[0]!,
    urls,
    connectionName: broker.connectionName ?? `stokcerdas@${deps.hostName}`,
    heartbeatSec: broker.heartbeatSec,
    tls: broker.tls,
    reconnect: broker.reconnect,
    publishBufferSize: broker.publishBufferSize,
    logger: deps.logger.child({ component: 'amqp' }),
  });
}
