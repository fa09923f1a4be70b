import { browseDeadLetters, deadLetterKey, type BrowsePage } from '../../dlq/browse.ts';
import { countDeadLetters, replayDeadLetters } from '../../dlq/dead-letters.ts';
import { discardDeadLetters } from '../../dlq/discard.ts';
import { parseDeadLetterFilter, type DeadLetterFilter } from '../../dlq/filter.ts';
import type { Job, JobRegistry } from './jobs.ts';
import type { ConsoleSource } from './source.ts';

export class ConsoleInputError extends Error {}

export interface Selection {
  queue: string;
  /** deadLetterKey of each chosen message */
  keys?: string[];
  reason?: string;
  type?: string;
  /** the whole DLQ: must be said, never implied by an empty selection */
  all?: boolean;
}

const MAX_PAGE = 200;

/**
 * The dead-letter page's operations, on the host's own transport. Operations on one DLQ run one
 * after another: a page read holds its messages unacked, which a replay running beside it would
 * not see.
 */
export class DeadLetterOps {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly source: ConsoleSource,
    private readonly jobs: JobRegistry,
  ) {}

  list() {
    return countDeadLetters(this.source.transport, this.source.dlqs());
  }

  page(query: URLSearchParams): Promise<BrowsePage & { queue: string }> {
    const queue = this.queueOf(query.get('queue'));
    const offset = intParam(query.get('offset'), 0, 0, 1_000_000);
    const limit = intParam(query.get('limit'), 25, 1, MAX_PAGE);
    const filter = filterOf({ reason: query.get('reason') ?? undefined, type: query.get('type') ?? undefined });
    return this.locked(queue, async () => ({ queue, ...(await browseDeadLetters(this.source.transport, queue, { offset, limit, filter })) }));
  }

  replay(input: unknown): Job {
    const { queue, filter, limit, label } = this.selection(input);
    return this.jobs.start('replay', queue, label, (p) =>
      this.locked(queue, async () => {
        let replayed = 0;
        const result = await replayDeadLetters(this.source.transport, queue, {
          filter,
          limit,
          onReplayed: () => replayed++,
          onProgress: (seen, total) => p.progress(seen, total, replayed),
        });
        return { done: result.replayed, skipped: result.skipped, unroutable: result.unroutable };
      }),
    );
  }

  purge(input: unknown): Job {
    const { queue, filter, limit, label } = this.selection(input);
    return this.jobs.start('purge', queue, label, (p) =>
      this.locked(queue, async () => {
        let deleted = 0;
        const counting: DeadLetterFilter | undefined = filter && ((d) => filter(d) && ++deleted > 0);
        const done = await discardDeadLetters(this.source.transport, queue, { filter: counting, limit, onProgress: (seen, total) => p.progress(seen, total, filter ? deleted : seen) });
        return { done };
      }),
    );
  }

  private selection(input: unknown): { queue: string; filter?: DeadLetterFilter; limit?: number; label: string } {
    if (typeof input !== 'object' || input === null) throw new ConsoleInputError('send a JSON object: { queue, keys } or { queue, reason?, type? } or { queue, all: true }');
    const s = input as Selection;
    const queue = this.queueOf(s.queue);
    if (Array.isArray(s.keys)) {
      if (s.keys.length === 0 || !s.keys.every((k) => typeof k === 'string')) throw new ConsoleInputError('keys: a non-empty list of the keys the page showed');
      const keys = new Set(s.keys);
      return { queue, filter: (d) => keys.has(deadLetterKey(d)), limit: keys.size, label: `${keys.size} selected` };
    }
    const filter = filterOf(s);
    if (filter) return { queue, filter, label: [s.reason && `reason=${s.reason}`, s.type && `type=${s.type}`].filter(Boolean).join(' ') };
    if (s.all === true) return { queue, label: 'all' };
    throw new ConsoleInputError('say what to act on: keys, reason/type, or all: true');
  }

  private queueOf(name: unknown): string {
    const dlqs = this.source.dlqs();
    if (typeof name !== 'string' || !dlqs.includes(name)) throw new ConsoleInputError(`queue: one of the topology's DLQs (${dlqs.length} known), got ${JSON.stringify(name)}`);
    return name;
  }

  private locked<T>(queue: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(queue) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(queue, tail);
    void tail.then(() => {
      if (this.locks.get(queue) === tail) this.locks.delete(queue);
    });
    return run;
  }
}

function filterOf(s: { reason?: string; type?: string }): DeadLetterFilter | undefined {
  const parts: DeadLetterFilter[] = [];
  try {
    if (s.reason) parts.push(parseDeadLetterFilter(`reason=${s.reason}`)!);
    if (s.type) parts.push(parseDeadLetterFilter(`type=${s.type}`)!);
  } catch (err) {
    throw new ConsoleInputError((err as Error).message.replace(/^--filter /, ''));
  }
  if (parts.length === 0) return undefined;
  return (d) => parts.every((p) => p(d));
}

function intParam(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConsoleInputError(`expected a whole number from ${min} to ${max}, got ${value}`);
  return n;
}
