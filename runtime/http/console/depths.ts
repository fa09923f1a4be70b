import { ErrorCodes, isStokcerdasError } from '../../errors.ts';
import type { ConsoleTransport } from './source.ts';

const FRESH_MS = 4_000;

/**
 * Ready-message counts of the queues the console shows, read from the broker at most every 4 s
 * (each is a passive declare). A queue not declared (yet) has no count.
 */
export class QueueDepths {
  private readonly counts = new Map<string, number>();
  private readAt = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly transport: ConsoleTransport) {}

  get(queue: string): number | undefined {
    return this.counts.get(queue);
  }

  /** resolves once the counts are at most 4 s old */
  refresh(queues: string[]): Promise<void> {
    if (Date.now() - this.readAt < FRESH_MS) return Promise.resolve();
    this.running ??= this.read(queues).finally(() => {
      this.readAt = Date.now();
      this.running = undefined;
    });
    return this.running;
  }

  private async read(queues: string[]): Promise<void> {
    if (!this.transport.status().connected) return;
    for (const queue of new Set(queues)) {
      try {
        this.counts.set(queue, (await this.transport.queueInfo(queue)).messages);
      } catch (err) {
        if (!isStokcerdasError(err, ErrorCodes.UNKNOWN_QUEUE)) return;
        this.counts.delete(queue);
      }
    }
  }
}
