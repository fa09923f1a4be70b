import type { ResolvedConfig } from '../../config/schema.ts';
import { buildTopology, type TopologyBinding } from '../topology/build.ts';
import { dlqName, prefixed } from '../topology/names.ts';

/**
 * `ml.forecasting`, `ml.forecasting.dlq`, `stokcerdas.ml.forecasting` and
 * `stokcerdas.ml.forecasting.dlq` all name the same DLQ. The result always ends in `.dlq`, so a
 * typo can never purge or drain a work queue.
 */
export function resolveDlqName(prefix: string, name: string): string {
  const full = name.startsWith(`${prefix}.`) ? name : prefixed(prefix, name);
  return full.endsWith('.dlq') ? full : dlqName(full);
}

/**
 * Every DLQ the topology declares: the seed's queues and the handler queues of the loaded plugins,
 * each `<queue>.dlq`. RabbitMQ without the management plugin cannot list queues over AMQP, and the
 * topology is what the hosts declare, so it is the list.
 */
export function dlqNamesFromTopology(config: Pick<ResolvedConfig, 'broker'>, bindings: TopologyBinding[]): string[] {
  const topology = buildTopology(bindings, { prefix: config.broker.prefix, queueType: config.broker.queueType, deliveryLimit: config.broker.deliveryLimit });
  return topology.queues.map((q) => q.name).filter((n) => n.endsWith('.dlq')).sort();
}
