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
  return config.broker.url ? 'amqp' : 'memory';
}

export function createTransport(config: ResolvedConfig, deps: { clock: Clock; logger: Logger; hostName: string }): Transport {
  if (selectTransportKind(config) === 'memory') return createMemoryTransport({ clock: deps.clock });
  const { broker } = config;
  return createAmqpTransport({
    url: broker.url ?? localBrokerUrl,
    connectionName: broker.connectionName ?? `stokcerdas@${deps.hostName}`,
    heartbeatSec: broker.heartbeatSec,
    tls: broker.tls,
    reconnect: broker.reconnect,
    publishBufferSize: broker.publishBufferSize,
    logger: deps.logger.child({ component: 'amqp' }),
  });
}
