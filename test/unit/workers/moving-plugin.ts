/**
 * Worker handlers for the mover tests, in a module of their own: a worker thread imports the
 * module that called definePlugin. Each run adds one to the event's cell of a SharedArrayBuffer
 * the test holds, so a task that ran twice shows even when the pool discarded one of its results.
 */
import { threadId } from 'node:worker_threads';
import { definePlugin } from '../../../runtime/plugins/define.ts';
import type { StokEvent } from '../../../runtime/events/types.ts';

export interface Spin {
  /** busy-wait this long on the thread (never yields) */
  ms: number;
  /** Int32 cells, one per event: how many times the handler ran for it */
  runs: SharedArrayBuffer;
  cell: number;
}

function spin(event: StokEvent<Spin>, publish: (type: string, data: unknown) => void): void {
  Atomics.add(new Int32Array(event.data.runs), event.data.cell, 1);
  const until = performance.now() + event.data.ms;
  while (performance.now() < until) {
    /* CPU work that holds the thread */
  }
  publish('analytics.spin.done', { cell: event.data.cell, threadId });
}

export const moving = definePlugin({
  name: 'worker-moving',
  version: '1.0.0',
  handlers: {
    long: {
      subscribe: { routingKeys: ['analytics.spin.long'] },
      mode: 'worker',
      timeoutMs: 10_000,
      async handle(event: StokEvent<Spin>, ctx) {
        spin(event, ctx.publish);
      },
    },
    quick: {
      subscribe: { routingKeys: ['analytics.spin.quick'] },
      mode: 'worker',
      async handle(event: StokEvent<Spin>, ctx) {
        spin(event, ctx.publish);
      },
    },
  },
});
