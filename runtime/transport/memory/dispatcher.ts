import type { Clock } from '../../clock/index.ts';
import type { MemoryConsumer } from './consumer.ts';
import type { Flow } from './flow.ts';
import type { MemoryQueue } from './queue.ts';

type Queue = MemoryQueue<MemoryConsumer>;

/**
 * Hands ready messages to consumers. One setImmediate per turn drains every queue that has work:
 * publish never runs a handler in the caller's stack, and a busy pipeline still yields to I/O
 * (health checks, metrics). A queue a publish waits on (flow.ts) gets its turn even without
 * consumers: the turn releases the publish.
 */
export class Dispatcher {
  private running = 0;
  private pending: Queue[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private idleWaiters: Array<() => void> = [];
  /** consumers with answers to settle when the turn ends */
  private answered: MemoryConsumer[] = [];
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly flow: Flow,
  ) {}

  schedule(queue: Queue): void {
    if (queue.dispatchScheduled || this.closed || (queue.consumers.length === 0 && queue.throttle === undefined)) return;
    queue.dispatchScheduled = true;
    this.pending.push(queue);
    this.immediate ??= setImmediate(this.run);
  }

  handlerStarted(): void {
    this.running++;
  }

  handlerFinished(queue: Queue): void {
    this.running--;
    if (queue.ready > 0) this.schedule(queue);
    this.checkIdle();
  }

  /** `consumer` has handlers that answered at once: it settles them when this turn ends. */
  answeredAtOnce(consumer: MemoryConsumer): void {
    this.answered.push(consumer);
  }

  /**
   * Resolves once no handler runs and no ready message waits for a consumer with free capacity.
   * Messages waiting on a TTL do not count: advance the clock for those.
   */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.pending = [];
    this.checkIdle();
  }

  private readonly run = (): void => {
    this.immediate = undefined;
    const batch = this.pending;
    this.pending = [];
    // one clock read for every expiry this turn checks
    const now = this.clock.now();
    for (const queue of batch) {
      queue.dispatchScheduled = false;
      let delivered = 0;
      while (queue.ready > 0) {
        const consumer = queue.nextConsumer();
        if (consumer === undefined) break;
        const message = queue.take(now);
        if (message === undefined) break;
        queue.unacked++;
        delivered++;
        consumer.deliver(message);
      }
      if (queue.throttle !== undefined && this.flow.afterTurn(queue, delivered)) this.schedule(queue);
    }
    if (this.answered.length > 0) {
      const answered = this.answered;
      this.answered = [];
      for (const consumer of answered) consumer.settleAnswered();
    }
    this.checkIdle();
  };

  private isIdle(): boolean {
    return this.closed || (this.running === 0 && this.pending.length === 0);
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
