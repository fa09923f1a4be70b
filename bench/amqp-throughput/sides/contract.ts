/** What a side of the AMQP throughput benchmark is: one client library doing the same job. */
import type { LoopResult, LoopSettings } from '../measure.ts';

export type QueueKind = 'classic' | 'quorum';

/** queues and exchanges by full name; every one starts with the side's unique prefix */
export interface DeclaredNames {
  queues: string[];
  exchanges: string[];
}

export interface Side {
  /** declares its topology under `prefix`, warms up, then times `s.messages` publish-to-handle loops */
  run(s: LoopSettings, prefix: string, queueType: QueueKind): Promise<LoopResult>;
  /** everything run() declares under `prefix`: deleted after the side, whatever happened */
  declared(prefix: string, queueType: QueueKind): DeclaredNames;
}

/** one side's figures from its own process: the timed loop, and its RSS before the side started */
export interface SideReport extends LoopResult {
  /** RSS before the side's library was loaded (the process, tsx and the harness) */
  rssBeforeMb: number;
  /** peak RSS during the timed loop minus rssBeforeMb: what the side itself holds */
  rssGrowthMb: number;
}
