/** Worker-thread handlers (DESIGN §1, §7; issue 4): one piscina pool per host. */
export { createWorkerInvoker, type WorkerPool, type WorkerPoolOptions, type WorkerPoolStats } from './pool.ts';
export type { WorkerBindingRef, WorkerModuleCheck } from './validate.ts';
