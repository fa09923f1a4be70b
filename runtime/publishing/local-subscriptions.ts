import type { Logger } from 'pino';
import { compileTopic } from '../transport/match.ts';
import type { StokEvent } from '../events/types.ts';

export type LocalListener = (event: StokEvent) => void | Promise<void>;

/**
 * In-process subscriptions (the seed's EventEmitter2 path, `EVENT_BUS_LOCAL_ENABLED`): listeners
 * in this process see every event this host publishes, once the broker confirmed it. Not a
 * delivery guarantee: a listener's error is logged, never retried.
 */
export class LocalSubscriptions {
  private readonly listeners: { pattern: string; matches: (key: string) => boolean; listener: LocalListener }[] = [];
  constructor(private readonly logger: Logger) {}

  subscribe(pattern: string, listener: LocalListener): () => void {
    const entry = { pattern, matches: compileTopic(pattern), listener };
    this.listeners.push(entry);
    return () => {
      const i = this.listeners.indexOf(entry);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  get size(): number {
    return this.listeners.length;
  }

  emit(event: StokEvent): void {
    for (const { matches, listener, pattern } of this.listeners) {
      if (!matches(event.type)) continue;
      try {
        const result = listener(event);
        if (result && typeof (result as Promise<void>).catch === 'function') {
          (result as Promise<void>).catch((err) => this.logger.error({ err, pattern, eventId: event.id }, 'local listener failed'));
        }
      } catch (err) {
        this.logger.error({ err, pattern, eventId: event.id }, 'local listener failed');
      }
    }
  }
}
