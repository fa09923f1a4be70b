import type { Logger } from 'pino';
import type { Clock } from '../clock/index.ts';
import type { PublishOptions } from '../events/types.ts';
import type { HandlerContext } from '../plugins/types.ts';
import { isPromise, type MaybePromise } from './maybe-async.ts';
import type { HandlerCall, HandlerStep, PipelineHooks } from './types.ts';

/** Runs one handler call on a worker thread (workers/). */
export type Invoker = (call: HandlerCall, ctx: HandlerContext) => Promise<void>;
/** What the pipeline calls: an Invoker, or the inline one, which answers at once when the handler does. */
export type CallRunner = (call: HandlerCall, ctx: HandlerContext) => MaybePromise<void>;

export const inlineInvoker: CallRunner = (call, ctx) => {
  const result: unknown = call.binding.definition.handle(call.binding.batch ? call.events : call.events[0], ctx);
  // whatever a synchronous handler returns is not ours to wait for
  return isPromise(result) ? result.then(() => undefined) : undefined;
};

export interface InvokeDeps {
  invokerFor(call: HandlerCall): CallRunner;
  clock: Clock;
  hooks: PipelineHooks;
  resolve<T>(name: string): T;
}

/** The last step: build the handler's context, call it, report what happened. */
export function invoke(deps: InvokeDeps): HandlerStep {
  const report = (call: HandlerCall, started: number, outcome: 'success' | 'failure') =>
    deps.hooks.handled?.(call.binding, performance.now() - started, outcome, call.events.length);
  return (call) => {
    for (const event of call.events) deps.hooks.consumed?.(event, call.binding, call.attempt);
    const ctx = new CallContext(call, deps);
    const started = performance.now();
    let result: MaybePromise<void>;
    try {
      result = deps.invokerFor(call)(call, ctx);
    } catch (err) {
      report(call, started, 'failure');
      throw err;
    }
    if (!isPromise(result)) return report(call, started, 'success');
    return result.then(
      () => report(call, started, 'success'),
      (err: unknown) => {
        report(call, started, 'failure');
        throw err;
      },
    );
  };
}

class CallContext implements HandlerContext {
  private log?: Logger;
  readonly attempt: number;
  readonly handler: string;
  readonly clock: Clock;
  readonly options: unknown;
  constructor(
    private readonly call: HandlerCall,
    private readonly deps: InvokeDeps,
  ) {
    this.attempt = call.attempt;
    this.handler = call.binding.key;
    this.clock = deps.clock;
    this.options = call.binding.options;
  }
  /** the AbortController behind it exists only once a handler asks (most never do) */
  get signal(): AbortSignal {
    return this.call.signal;
  }
  /** created on first use: most handlers never log, and a child logger per delivery is not free */
  get logger(): Logger {
    if (!this.log) {
      const event = this.call.events[0]!;
      this.log = this.call.binding.logger.child({
        eventId: this.call.events.length === 1 ? event.id : undefined,
        batchSize: this.call.events.length > 1 ? this.call.events.length : undefined,
        type: event.type,
        tenant: event.tenantid,
        correlationId: event.correlationid,
      });
    }
    return this.log;
  }
  private boundPublish?: HandlerContext['publish'];
  /** bound on first use, so `const { publish } = ctx` works without a closure per delivery */
  get publish(): HandlerContext['publish'] {
    return (this.boundPublish ??= (type: string, data: unknown, options?: PublishOptions): void => {
      this.call.outbox.push({ type, data, options });
    });
  }
  resolve<T = unknown>(name: string): T {
    return this.deps.resolve<T>(name);
  }
}
