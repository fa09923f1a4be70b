import type { SkippedPlugin } from '../plugins/skipped.ts';
import type { Transport } from '../transport/contract.ts';

export type ReadinessStatus = 'starting' | 'ready' | 'disconnected' | 'not-consuming' | 'draining' | 'stopped' | 'failed';

export interface Readiness {
  ready: boolean;
  status: ReadinessStatus;
  connected: boolean;
  /** queues whose consumer is not (yet) registered with the broker */
  notConsuming: string[];
  /**
   * plugins the host started without (non-strict mode). Names only: /readyz is open without the
   * token; /stats (behind it) has each one's code and message. Not ready-relevant on purpose: the
   * operator chose non-strict, and a balancer must keep routing to the plugins that did start.
   */
  skippedPlugins: string[];
  /** the broker node connected to (`host:port`) and how often the connection moved between nodes */
  node?: string;
  failovers?: number;
}

/** /readyz: broker connected and every binding consuming, and the host neither starting nor draining. */
export function readinessOf(state: string, transport: Pick<Transport, 'status' | 'consumerStates'>, skipped: readonly SkippedPlugin[] = []): Readiness {
  const { connected, node, failovers } = transport.status();
  const states = transport.consumerStates?.() ?? [];
  const notConsuming = states.filter((s) => !s.consuming).map((s) => s.queue);
  let status: ReadinessStatus;
  if (state === 'created' || state === 'starting') status = 'starting';
  else if (state === 'stopping') status = 'draining';
  else if (state === 'stopped') status = 'stopped';
  else if (state === 'failed') status = 'failed';
  else if (!connected) status = 'disconnected';
  else if (notConsuming.length > 0) status = 'not-consuming';
  else status = 'ready';
  const readiness: Readiness = { ready: status === 'ready', status, connected, notConsuming, skippedPlugins: skipped.map((s) => s.plugin) };
  if (node !== undefined) readiness.node = node;
  if (failovers !== undefined) readiness.failovers = failovers;
  return readiness;
}
