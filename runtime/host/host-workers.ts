import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/schema.ts';
import type { HostOptions, WorkerPoolHandle } from './wiring.ts';

type Open = NonNullable<HostOptions['workerInvoker']>;

/**
 * The host's worker pool across its start. The check of worker-mode modules waits for a thread to
 * load (worker.js, then the plugin module on it: a few hundred ms), so a host that loads its plugins
 * from a folder opens the pool early, when its start begins: the thread loads beside the HTTP start
 * and the plugin imports on the main thread. Whether any handler runs in worker mode is known only
 * once the plugins are imported; when none does, the early pool is closed again (in the background,
 * the ready line does not wait for it) and the host holds no pool, as if it had never opened one.
 */
export class HostWorkers {
  /** the pool the start used (the check asked for it); undefined while unused */
  current?: WorkerPoolHandle;
  private opening?: Promise<WorkerPoolHandle>;
  private closingUnused?: Promise<void>;

  constructor(
    private readonly open: Open,
    private readonly host: { config: ResolvedConfig; logger: Logger },
  ) {}

  /** Opens the pool ahead of the check; a failure to open surfaces when the check asks for it. */
  openEarly(): void {
    this.opening ??= this.open(this.host);
    this.opening.catch(() => undefined);
  }

  /** The pool for the check of worker-mode modules (opened now unless it was opened early). */
  async take(): Promise<WorkerPoolHandle> {
    this.opening ??= this.open(this.host);
    this.current = await this.opening;
    return this.current;
  }

  /** After the plugins loaded: an early pool nothing asked for is closed. */
  releaseUnused(): void {
    if (this.current || !this.opening) return;
    const unused = this.opening;
    this.opening = undefined;
    this.closingUnused = unused.then((pool) => pool.close(), () => undefined);
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    this.current = undefined;
    await this.closingUnused;
    await (await opening?.catch(() => undefined))?.close();
  }
}
