import { createHash } from 'node:crypto';
import type { Delivery } from '../transport/contract.ts';
import { requeueAll, summarize, type DeadLetterSummary, type DlqTransport, type Got } from './dead-letters.ts';
import type { DeadLetterFilter } from './filter.ts';

/** A dead letter as a page shows it, with the key a selection names it by. */
export type BrowsedDeadLetter = DeadLetterSummary & { key: string };

export interface BrowseOptions {
  offset: number;
  limit: number;
  filter?: DeadLetterFilter;
  /** look at no more than this many messages from the head of the DLQ (default 2,000) */
  scanLimit?: number;
}

export interface BrowsePage {
  /** ready messages in the DLQ */
  total: number;
  /** messages looked at: less than `total` when the scan limit was reached */
  scanned: number;
  /** of those, how many match the filter */
  matched: number;
  letters: BrowsedDeadLetter[];
}

/**
 * One page of a DLQ, without consuming it (as `dlq show`): every message looked at is held
 * unacked and all are requeued at the end, so the page is a consistent view and a held message
 * cannot come back as the next one.
 */
export async function browseDeadLetters(transport: DlqTransport, queue: string, options: BrowseOptions): Promise<BrowsePage> {
  const total = (await transport.queueInfo(queue)).messages;
  const scanLimit = Math.min(total, options.scanLimit ?? 2_000);
  const held: Got[] = [];
  const letters: BrowsedDeadLetter[] = [];
  let matched = 0;
  try {
    while (held.length < scanLimit) {
      const got = await transport.get(queue);
      if (!got) break;
      held.push(got);
      if (options.filter && !options.filter(got.delivery)) continue;
      if (matched >= options.offset && letters.length < options.limit) letters.push({ ...summarize(got.delivery), key: deadLetterKey(got.delivery) });
      matched++;
    }
    return { total, scanned: held.length, matched, letters };
  } finally {
    await requeueAll(held);
  }
}

/**
 * Names one dead letter across reads: the event id with the handler and the time it failed (one
 * event may die in several handlers), or a digest of the body for a message without an id.
 */
export function deadLetterKey(d: Delivery): string {
  const h = d.properties.headers ?? {};
  const id = d.properties.messageId ?? `sha256:${createHash('sha256').update(d.body).digest('hex').slice(0, 24)}`;
  return `${id}|${String(h['x-handler'] ?? '')}|${String(h['x-failed-at'] ?? '')}`;
}
