import type { ConsumeOptions, Consumer, DeliveryCallback, Settlement } from '../contract.ts';
import { toDelivery, type MemoryQueue, type StoredMessage } from './queue.ts';

/** What a consumer needs from the transport that owns its queue. */
export interface ConsumerHost {
  settle(queue: MemoryQueue<MemoryConsumer>, message: StoredMessage, settlement: Settlement): void;
  handlerStarted(): void;
  handlerFinished(queue: MemoryQueue<MemoryConsumer>): void;
  detach(consumer: MemoryConsumer): void;
  /** `consumer` has handlers that answered at once: call its settleAnswered() at the end of this dispatch turn */
  answeredAtOnce(consumer: MemoryConsumer): void;
}

interface InFlight {
  message: StoredMessage;
  /** given back to the queue by a cancel deadline: the handler's late settlement is ignored */
  returned: boolean;
  /** what a handler that answered at once said, until the end of the dispatch turn */
  settlement: Settlement;
}

function isSettlement(value: unknown): value is Settlement {
  return value === 'ack' || value === 'reject' || value === 'requeue';
}

/**
 * One consumer of one queue. A delivery stays unsettled exactly while its handler runs, so the
 * broker's prefetch and the local concurrency collapse into one limit: min(prefetch, concurrency).
 */
export class MemoryConsumer implements Consumer {
  readonly queue: string;
  private readonly limit: number;
  private readonly inFlight = new Set<InFlight>();
  /** deliveries whose handler answered synchronously, settled together when the dispatch turn ends */
  private answers: InFlight[] = [];
  private cancelled = false;
  private drainWaiters: Array<() => void> = [];

  constructor(
    private readonly source: MemoryQueue<MemoryConsumer>,
    options: ConsumeOptions,
    private readonly handler: DeliveryCallback,
    private readonly host: ConsumerHost,
  ) {
    this.queue = source.name;
    // 0 means "unlimited", as basic.qos prefetch_count 0 does.
    const prefetch = options.prefetch > 0 ? options.prefetch : Infinity;
    const concurrency = options.concurrency > 0 ? options.concurrency : Infinity;
    this.limit = Math.min(prefetch, concurrency);
  }

  get free(): number {
    return this.cancelled ? 0 : this.limit - this.inFlight.size;
  }

  /**
   * Runs the handler. An answer given at once is settled at the end of the dispatch turn, not in
   * the handler's stack (and without a promise per delivery): the consumer stays at its limit for
   * the rest of the turn, exactly as when every answer went through a promise.
   */
  deliver(message: StoredMessage): void {
    const entry: InFlight = { message, returned: false, settlement: 'requeue' };
    this.inFlight.add(entry);
    this.host.handlerStarted();
    let result: Settlement | Promise<Settlement>;
    try {
      result = this.handler(toDelivery(message, this.queue));
    } catch {
      // A throwing handler means "try again": the runtime core never lets one throw, so this only
      // keeps the broker consistent when a bare handler is plugged in.
      result = 'requeue';
    }
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      (result as Promise<Settlement>).then(
        (settlement) => this.finish(entry, isSettlement(settlement) ? settlement : 'requeue'),
        () => this.finish(entry, 'requeue'),
      );
      return;
    }
    entry.settlement = isSettlement(result) ? result : 'requeue';
    if (this.answers.length === 0) this.host.answeredAtOnce(this);
    this.answers.push(entry);
  }

  /** Settles what the handlers answered at once during this dispatch turn. */
  settleAnswered(): void {
    const answers = this.answers;
    this.answers = [];
    for (const entry of answers) this.finish(entry, entry.settlement);
  }

  cancel(deadlineMs?: number): Promise<void> {
    if (!this.cancelled) {
      this.cancelled = true;
      this.host.detach(this);
    }
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // Real time, not the injected clock: shutdown deadlines must pass even on a virtual clock.
      const timer = deadlineMs === undefined ? undefined : setTimeout(() => this.returnInFlight(), Math.max(0, deadlineMs));
      this.drainWaiters.push(() => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Drops every in-flight delivery without settling it (the transport is closing). */
  abort(): void {
    this.cancelled = true;
    for (const entry of this.inFlight) entry.returned = true;
    this.inFlight.clear();
    this.drained();
  }

  /** What a broker does with unacked deliveries when the channel goes: back to the queue, redelivered. */
  private returnInFlight(): void {
    // requeue puts each at the head, so go newest first to keep the original order
    const entries = [...this.inFlight].reverse();
    this.inFlight.clear();
    for (const entry of entries) {
      entry.returned = true;
      this.host.settle(this.source, entry.message, 'requeue');
    }
    this.drained();
  }

  private finish(entry: InFlight, settlement: Settlement): void {
    if (!entry.returned) {
      this.inFlight.delete(entry);
      this.host.settle(this.source, entry.message, settlement);
      if (this.cancelled && this.inFlight.size === 0) this.drained();
    }
    this.host.handlerFinished(this.source);
  }

  private drained(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
