/** What the flow reads and keeps on a queue (queue.ts). */
interface FlowQueue {
  readonly ready: number;
  throttle: Throttle | undefined;
  hasFreeConsumer(): boolean;
}

/**
 * Ready messages a queue may hold before a publish into it waits (MemoryTransportOptions.highWaterMark).
 * A burst then waits in its publishers, not in the queue: the queue stays near the mark, so
 * memory and collections stay flat however long the burst.
 */
export const DEFAULT_HIGH_WATER_MARK = 1_000;

/**
 * Back-pressure, in the spirit of RabbitMQ's credit flow: it slows a publisher down, it never
 * drops or refuses a message. A publish that leaves a queue holding more than the mark resolves
 * once the queue's consumers have taken it back down to the mark. Only a queue whose consumers
 * are taking messages holds a publisher back: with no consumer, or every consumer at its prefetch
 * limit (its handlers may be waiting on a publish themselves), the publish resolves at once. And a
 * queue with a publish waiting always has a dispatch turn scheduled; a turn that delivers nothing
 * releases every publish waiting on it, so nothing waits on consumers that cannot move.
 */
export class Flow {
  constructor(private readonly highWaterMark: number) {}

  /** Whether a publish that has just enqueued into `queue` waits for it to drain. */
  holds(queue: FlowQueue): boolean {
    return queue.ready > this.highWaterMark && queue.hasFreeConsumer();
  }

  /** Resolves once every queue in `queues` released the publish. */
  wait(queues: readonly FlowQueue[]): Promise<void> {
    if (queues.length === 1) return (queues[0]!.throttle ??= new Throttle()).released;
    return Promise.all(queues.map((queue) => (queue.throttle ??= new Throttle()).released)).then(() => undefined);
  }

  /**
   * After a dispatch turn that delivered `delivered` messages from `queue`: releases the waiting
   * publishes once the queue is down to the mark or its consumers took nothing; true when some
   * still wait, and the caller must schedule another turn.
   */
  afterTurn(queue: FlowQueue, delivered: number): boolean {
    if (queue.throttle === undefined) return false;
    if (delivered > 0 && queue.ready > this.highWaterMark) return true;
    this.release(queue);
    return false;
  }

  release(queue: FlowQueue): void {
    const throttle = queue.throttle;
    if (throttle === undefined) return;
    queue.throttle = undefined;
    throttle.release();
  }
}

/** The publishes waiting on one queue. They are released together, so they share one promise. */
export class Throttle {
  readonly released: Promise<void>;
  readonly release: () => void;

  constructor() {
    let release!: () => void;
    this.released = new Promise<void>((resolve) => (release = resolve));
    this.release = release;
  }
}
