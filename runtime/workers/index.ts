/** Worker-thread handlers (`mode: 'worker'`): one piscina pool per host. */
export { createWorkerInvoker, type WorkerPool, type WorkerPoolOptions, type WorkerPoolStats } from './pool.ts';
export type { WorkerBindingRef, WorkerModuleCheck } from './module-check.ts';
