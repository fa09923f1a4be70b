import type { Logger } from 'pino';
import type { StokcerdasClient } from '../client/client.ts';
import type { PublishOptions } from '../events/types.ts';

export interface EventBatchStats {
  /** events waiting for their batch to be sent */
  pendingEvents: number;
  pendingByType: Record<string, number>;
  batchesSent: number;
  eventsSent: number;
  batchesFailed: number;
  batchSize: number;
  flushIntervalMs: number;
  lastFlushAt?: string;
}

interface Waiting {
  type: string;
  data: unknown;
  options: PublishOptions;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * The seed's event batching (`publish(..., { batch: true })`): events wait until `batch.size` of
 * them are collected or `batch.flushMs` passed, then go out in one publishBatch (one confirm
 * wait). Each publish resolves when its batch is confirmed, or rejects with the batch's error:
 * a batch is all-or-nothing, so one invalid event fails the ones beside it.
 */
export class EventBatcher {
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;
  private batchesSent = 0;
  private eventsSent = 0;
  private batchesFailed = 0;
  private lastFlushAt?: number;
  private inflight = new Set<Promise<void>>();

  constructor(
    private readonly client: StokcerdasClient,
    private readonly policy: { size: number; flushMs: number },
    private readonly logger: Logger,
  ) {}

  add(type: string, data: unknown, options: PublishOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ type, data, options, resolve, reject });
      if (this.waiting.length >= this.policy.size) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.policy.flushMs);
    });
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return Promise.all(this.inflight).then(() => undefined);
    const sending = this.client
      .publishBatch(batch.map((w) => ({ type: w.type, data: w.data, options: w.options })))
      .then(
        () => {
          this.batchesSent++;
          this.eventsSent += batch.length;
          this.lastFlushAt = Date.now();
          for (const w of batch) w.resolve();
        },
        (err: unknown) => {
          this.batchesFailed++;
          this.logger.warn({ err, events: batch.length }, 'event batch not sent');
          for (const w of batch) w.reject(err);
        },
      )
      .finally(() => this.inflight.delete(sending));
    this.inflight.add(sending);
    return sending;
  }

  /** Sends what waits and waits for every batch in flight. */
  async close(): Promise<void> {
    await this.flush();
    await Promise.all(this.inflight);
  }

  stats(): EventBatchStats {
    const pendingByType: Record<string, number> = {};
    for (const w of this.waiting) pendingByType[w.type] = (pendingByType[w.type] ?? 0) + 1;
    return {
      pendingEvents: this.waiting.length,
      pendingByType,
      batchesSent: this.batchesSent,
      eventsSent: this.eventsSent,
      batchesFailed: this.batchesFailed,
      batchSize: this.policy.size,
      flushIntervalMs: this.policy.flushMs,
      ...(this.lastFlushAt !== undefined ? { lastFlushAt: new Date(this.lastFlushAt).toISOString() } : {}),
    };
  }
}
