/**
 * Runs one side in this process: loads its library, runs it, deletes what it declared whatever
 * happened, and hands its figures to the parent (IPC) or prints them as one JSON line.
 */
import { deleteByPrefix } from '../../test/support/broker.ts';
import { round, type LoopSettings } from './measure.ts';
import type { QueueKind, SideReport } from './sides/contract.ts';
import { catalogue, type SideSpec } from './sides/index.ts';

export async function runSideHere({ spec, name, root }: SideSpec, s: LoopSettings, queueType: QueueKind, prefix: string): Promise<SideReport> {
  const entry = catalogue[name];
  if (queueType === 'quorum' && !entry.quorum) throw new Error(`side "${spec}" runs on classic queues only`);
  const rssBefore = process.memoryUsage.rss() / 2 ** 20;
  const side = await entry.load(root);
  const cleanUp = () => deleteByPrefix(s.url, prefix, side.declared(prefix, queueType));
  // a client library's error thrown from its own callbacks skips the `finally` below
  process.once('uncaughtException', (err) => {
    console.error(err);
    void cleanUp().finally(() => process.exit(1));
  });
  try {
    const result = await side.run(s, prefix, queueType);
    return { ...result, rssBeforeMb: round(rssBefore), rssGrowthMb: round(result.peakRssMb - rssBefore) };
  } finally {
    await cleanUp();
  }
}

/** the child's end: its report to the parent, else to stdout; then exit (client libraries keep timers alive) */
export async function reportAndExit(report: SideReport, line: Record<string, unknown>): Promise<never> {
  const send = process.send?.bind(process);
  if (send) await new Promise<void>((resolve) => send(report, undefined, {}, () => resolve()));
  else console.log(JSON.stringify({ ...line, result: report }));
  process.exit(0);
}
