/**
 * The soak: 1 000 000 messages through the runtime alone, RSS read every 10 000.
 * RSS follows the heap's saw-tooth (it grows to the next major GC, then gives memory back): a
 * plain reading at 100 000 and one at the end differed by 40 % in one run and 0.5 % in the next,
 * with nothing growing. The readings at each 100 000 follow a full collection; the highest of
 * each block's ten readings is printed beside them.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { deleteByPrefix } from '../../test/support/broker.ts';
import type { LoopSettings } from './measure.ts';
import { runtime, runRuntime } from './sides/runtime.ts';

/** a full collection on demand, without starting node with --expose-gc (soak readings only) */
let collect: (() => void) | undefined;
function fullGc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

export async function runSoak(settings: LoopSettings, prefix: string): Promise<void> {
  const samples: { handled: number; rssMb: number }[] = [];
  const onRss = (handled: number) => {
    // at each 100 000 a full collection first: the reading is then what is live, not where the saw-tooth happens to be
    if (handled % 100_000 === 0) fullGc();
    samples.push({ handled, rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20) });
  };
  let r;
  try {
    r = await runRuntime(settings, prefix, 'classic', { onRss });
  } finally {
    await deleteByPrefix(settings.url, prefix, runtime.declared(prefix, 'classic'));
  }
  // counted from the first message, warm-up included (5 000 by default): the readings fall on round numbers
  const timed = samples;
  const at = (handled: number) => timed.find((x) => x.handled === handled)?.rssMb ?? Number.NaN;
  const blockPeaks: number[] = [];
  for (const x of timed) {
    const block = Math.ceil(x.handled / 100_000) - 1;
    blockPeaks[block] = Math.max(blockPeaks[block] ?? 0, x.rssMb);
  }
  console.log(
    JSON.stringify({
      bench: 'amqp-soak',
      date: new Date().toISOString().slice(0, 10),
      messages: settings.messages,
      runtime: r,
      rssAt100kMb: at(100_000),
      rssAtEndMb: at(settings.messages),
      blockPeakRssMb: blockPeaks,
      rssGrowth: ratio(at(settings.messages), at(100_000)),
      peakGrowth: ratio(blockPeaks[blockPeaks.length - 1]!, blockPeaks[0]!),
      samples: timed.map((x) => x.rssMb),
    }),
  );
}
