import type { ExchangeType } from '../transport/contract.ts';

/** The standard exchanges and queues (docs/topology.md), unprefixed. Always declared. */
export const seedExchanges: { name: string; type: ExchangeType }[] = [
  { name: 'inventory.events', type: 'topic' },
  { name: 'orders.events', type: 'topic' },
  { name: 'customers.events', type: 'topic' },
  { name: 'analytics.events', type: 'topic' },
  { name: 'indonesian.business.events', type: 'topic' },
  { name: 'notifications.direct', type: 'direct' },
  { name: 'broadcast.fanout', type: 'fanout' },
];

export const seedQueues: string[] = [
  'inventory.stock.updates',
  'orders.processing',
  'customers.insights',
  'analytics.realtime',
  'indonesian.business.rules',
  'integration.sync',
  'notifications.high.priority',
  'ml.forecasting',
];

/** Queues whose messages carry a meaningful priority (classic queues only; costs throughput). */
export const priorityQueues = new Set(['notifications.high.priority']);
