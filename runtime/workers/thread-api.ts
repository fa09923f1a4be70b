/**
 * The package's "." entry on a worker thread (the pool starts its threads with the
 * `stokcerdas-worker-thread` condition; package.json maps it to the compiled copy of this file).
 * A worker-mode plugin module imports 'stokcerdas' for definePlugin, the errors and the event types;
 * the full entry would also load the host's whole module graph (transports, HTTP, metrics, logging)
 * on every new thread, which is most of a thread's start. Same names as runtime/index.ts (a test
 * compares them), the same modules behind them, except createHost: a host runs on the main thread.
 */
import { ErrorCodes, StokcerdasError } from '../errors.ts';
import type { createHost as createHostOnMainThread } from '../host/host.ts';

export { defineConfig } from '../../config/define-config.ts';
export { definePlugin } from '../plugins/define.ts';
export { EventVersions, dataschemaOf } from '../events/versions.ts';
export { catalog as eventCatalog } from '../events/catalog/index.ts';
export { StokcerdasError, NonRetryableError, PoisonMessageError, HandlerTimeoutError, ErrorCodes } from '../errors.ts';
export { VirtualClock, systemClock } from '../clock/index.ts';

export const createHost: typeof createHostOnMainThread = () => {
  throw new StokcerdasError(ErrorCodes.HOST_STATE, 'createHost() is not available on a worker thread: a host runs on the main thread, a worker-mode handler publishes through ctx.publish');
};
