import type { StokEvent } from '../events/types.ts';
import { after } from './maybe-async.ts';
import type { HandlerMiddleware, PendingPublish } from './types.ts';

export interface OutboxPublisher {
  /** publish events a handler emitted while handling `cause`; resolves once all are confirmed */
  publishCaused(pending: PendingPublish[], cause: StokEvent): Promise<unknown>;
}

/**
 * MassTransit's in-memory outbox: what a handler publishes goes out only after it succeeded, and
 * is confirmed before the delivery is acked; if the handler fails, it is discarded.
 */
export function outbox(publisher: OutboxPublisher): HandlerMiddleware {
  return (next) => (call) =>
    after(next(call), () => {
      if (call.outbox.length === 0) return;
      // a batch handler's events are caused by the last event of the batch
      return publisher.publishCaused(call.outbox, call.events[call.events.length - 1]!).then(() => undefined);
    });
}
