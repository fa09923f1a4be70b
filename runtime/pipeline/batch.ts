import type { Clock } from '../clock/index.ts';
import { promised } from './maybe-async.ts';
import { createCall, type HandlerCall, type HandlerMiddleware, type PipelineHooks } from './types.ts';

/** Lets the host flush every open batch when it stops. */
export class BatchRegistry {
  private readonly flushers = new Set<() => void>();
  /** deliveries waiting in an open batch: the fake bus's idle() does not wait for them */
  parked = 0;
  add(flush: () => void): void {
    this.flushers.add(flush);
  }
  flushAll(): void {
    for (const flush of this.flushers) flush();
  }
}

interface Waiting {
  call: HandlerCall;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Collects single calls into one call with an array, flushed when `size` events wait or `flushMs`
 * after the first one arrived (on the injected clock, so the fake bus flushes on virtual time).
 * Each delivery waits for its batch: a failure fails every delivery in it, and each then follows
 * the retry path on its own.
 */
export function batch(policy: { size: number; flushMs: number }, clock: Clock, hooks: PipelineHooks, registry: BatchRegistry): HandlerMiddleware {
  return (next) => {
    let waiting: Waiting[] = [];
    let firstAt = 0;
    let cancelTimer: (() => void) | undefined;

    const flush = (reason: 'size' | 'time' | 'drain') => {
      if (waiting.length === 0) return;
      const items = waiting;
      waiting = [];
      registry.parked -= items.length;
      cancelTimer?.();
      cancelTimer = undefined;
      const merged = createCall(
        items[0]!.call.binding,
        items.flatMap((i) => i.call.events),
        Math.max(...items.map((i) => i.call.attempt)),
      );
      hooks.batchFlushed?.(merged.binding, merged.events.length, reason, clock.now() - firstAt);
      promised(() => next(merged)).then(
        () => items.forEach((i) => i.resolve()),
        (err) => items.forEach((i) => i.reject(err)),
      );
    };
    registry.add(() => flush('drain'));

    return (call) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ call, resolve, reject });
        registry.parked++;
        if (waiting.length === 1) {
          firstAt = clock.now();
          cancelTimer = clock.setTimeout(() => flush('time'), policy.flushMs);
        }
        if (waiting.length >= policy.size) flush('size');
      });
  };
}
