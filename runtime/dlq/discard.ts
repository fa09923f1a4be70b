import { requeueAll, type DlqTransport, type Got } from './dead-letters.ts';
import type { DeadLetterFilter } from './filter.ts';

export interface DiscardOptions {
  /** delete only the dead letters it accepts; without one the whole queue is purged in one step */
  filter?: DeadLetterFilter;
  /** delete at most this many */
  limit?: number;
  onProgress?(seen: number, atStart: number): void;
}

/**
 * Deletes dead letters for good. With a filter it takes them one by one: a match is acked, the
 * rest are held and requeued at the end, and only as many as the DLQ held at the start are looked
 * at. Resolves to how many were deleted.
 */
export async function discardDeadLetters(transport: DlqTransport, queue: string, options: DiscardOptions = {}): Promise<number> {
  const atStart = (await transport.queueInfo(queue)).messages;
  if (!options.filter) {
    const purged = await transport.purge(queue);
    options.onProgress?.(atStart, atStart);
    return purged;
  }
  const budget = Math.min(atStart, options.limit ?? Number.POSITIVE_INFINITY);
  const held: Got[] = [];
  let discarded = 0;
  try {
    for (let seen = 0; seen < atStart && discarded < budget; seen++) {
      const got = await transport.get(queue);
      if (!got) break;
      if (options.filter(got.delivery)) {
        await got.settle('ack');
        discarded++;
      } else held.push(got);
      options.onProgress?.(seen + 1, atStart);
    }
    return discarded;
  } finally {
    await requeueAll(held);
  }
}
