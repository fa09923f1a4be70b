import type { ContextProvider } from '../context/provider.ts';
import type { Middleware } from './types.ts';

/** The business context for the event's own time, as handlers read it (`event.context`). */
export function enrich(provider: ContextProvider): Middleware {
  return (next) => (ctx) => {
    const event = ctx.event!;
    event.context = provider.contextFor(event);
    return next(ctx);
  };
}
