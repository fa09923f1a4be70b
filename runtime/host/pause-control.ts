import type { Logger } from 'pino';
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { Consumer } from '../transport/contract.ts';

/**
 * The `pause` service (formerly `bindings`): stop and restart consuming a binding's queue on purpose (a plugin's
 * circuit breaker pausing one sales channel). While paused the queue has no consumer, so its
 * messages wait in the broker, not in this process; a host restarted meanwhile simply consumes.
 * Every handler sharing that queue pauses with it.
 */
export interface PauseControl {
  /** resolves once the consumer is cancelled and its in-flight deliveries settled (do not await it from a handler of that queue) */
  pause(key: string): Promise<void>;
  resume(key: string): Promise<void>;
  isPaused(key: string): boolean;
}

type State = 'running' | 'paused' | 'stopped';

/** One queue's consumer that can be cancelled and re-created; `cancel()` (shutdown) is final. */
export class PausableConsumer implements Consumer {
  private inner: Consumer | undefined;
  private state: State = 'running';
  // pause and resume run one after the other: a resume never races the cancel it follows
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly queue: string,
    /** binding keys (`plugin/handler`) consuming this queue */
    readonly keys: readonly string[],
    private readonly open: () => Promise<Consumer>,
    private readonly drainMs: number,
    private readonly logger: Logger,
    private readonly onChange?: (paused: boolean) => void,
  ) {}

  async start(): Promise<void> {
    this.inner = await this.open();
  }

  get paused(): boolean {
    return this.state === 'paused';
  }

  pause(): Promise<void> {
    if (this.state !== 'running') return this.chain;
    this.state = 'paused';
    this.onChange?.(true);
    this.logger.warn({ queue: this.queue, handlers: this.keys }, 'consumer paused: messages wait in the broker');
    return this.then(async () => {
      const consumer = this.inner;
      this.inner = undefined;
      await consumer?.cancel(this.drainMs);
    });
  }

  resume(): Promise<void> {
    if (this.state !== 'paused') return this.chain;
    this.state = 'running';
    this.onChange?.(false);
    this.logger.info({ queue: this.queue, handlers: this.keys }, 'consumer resumed');
    return this.then(async () => {
      if (this.state === 'running' && !this.inner) this.inner = await this.open();
    });
  }

  async cancel(deadlineMs?: number): Promise<void> {
    this.state = 'stopped';
    await this.chain;
    const consumer = this.inner;
    this.inner = undefined;
    await consumer?.cancel(deadlineMs);
  }

  private then(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step);
    this.chain = next.catch((err) => this.logger.error({ err, queue: this.queue }, 'pausing or resuming the consumer failed'));
    return next;
  }
}

/** `consumers` is read on each call: the service is registered before the bindings start. */
export function createPauseControl(consumers: () => readonly PausableConsumer[]): PauseControl {
  const lookup = (key: string) => consumers().find((c) => c.keys.includes(key));
  const find = (key: string) => {
    const c = lookup(key);
    if (!c) {
      const known = consumers().flatMap((x) => x.keys).join(', ') || 'none';
      return Promise.reject(new StokcerdasError(ErrorCodes.BINDING_UNKNOWN, `bindings: no running binding "${key}" (known: ${known})`, { key }));
    }
    return c;
  };
  const act = (key: string, what: 'pause' | 'resume') => {
    const c = find(key);
    return c instanceof Promise ? c : c[what]();
  };
  return {
    pause: (key) => act(key, 'pause'),
    resume: (key) => act(key, 'resume'),
    isPaused: (key) => lookup(key)?.paused ?? false,
  };
}

/** @deprecated the old name of {@link PauseControl}; removed in the next release */
export type BindingControl = PauseControl;
