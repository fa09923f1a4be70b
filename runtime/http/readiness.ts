import type { Transport } from '../transport/contract.ts';

export type ReadinessStatus = 'starting' | 'ready' | 'disconnected' | 'not-consuming' | 'draining' | 'stopped' | 'failed';

export interface Readiness {
  ready: boolean;
  status: ReadinessStatus;
  connected: boolean;
  /** queues whose consumer is not (yet) registered with the broker */
  notConsuming: string[];
  /** the broker node connected to (`host:port`) and how often the connection moved between nodes */
  node?: string;
  failovers?: number;
}

/** The amqp transport reports its consumers (for /readyz); the memory one always consumes. */
interface ReportsConsumers {
  consumerStates?(): Array<{ queue: string; consuming: boolean }>;
}

/** /readyz: broker connected and every binding consuming, and the host neither starting nor draining. */
export function readinessOf(state: string, transport: Transport): Readiness {
  const { connected, node, failovers } = transport.status();
  const states = (transport as Transport & ReportsConsumers).consumerStates?.() ?? [];
  const notConsuming = states.filter((s) => !s.consuming).map((s) => s.queue);
  let status: ReadinessStatus;
  if (state === 'created' || state === 'starting') status = 'starting';
  else if (state === 'stopping') status = 'draining';
  else if (state === 'stopped') status = 'stopped';
  else if (state === 'failed') status = 'failed';
  else if (!connected) status = 'disconnected';
  else if (notConsuming.length > 0) status = 'not-consuming';
  else status = 'ready';
  const readiness: Readiness = { ready: status === 'ready', status, connected, notConsuming };
  if (node !== undefined) readiness.node = node;
  if (failovers !== undefined) readiness.failovers = failovers;
  return readiness;
}
