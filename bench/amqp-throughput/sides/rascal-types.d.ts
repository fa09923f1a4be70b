/**
 * The few parts of Rascal 21 (no bundled types) the benchmark uses; @types/rascal describes an older
 * major, so the benchmark states what it calls instead of pulling that in.
 */
declare module 'rascal' {
  import type { EventEmitter } from 'node:events';

  interface BrokerConfig {
    vhosts: Record<string, unknown>;
    publications?: Record<string, unknown>;
    subscriptions?: Record<string, unknown>;
  }
  interface Publication extends EventEmitter {
    on(event: 'success', listener: (messageId: string) => void): this;
    on(event: 'error', listener: (err: Error, messageId: string) => void): this;
    on(event: 'return', listener: (message: unknown) => void): this;
  }
  interface SubscriberSession extends EventEmitter {
    on(event: 'message', listener: (message: unknown, content: unknown, ackOrNack: (err?: Error) => void) => void): this;
    on(event: 'error' | 'invalid_content', listener: (err: Error) => void): this;
  }
  interface BrokerAsPromised extends EventEmitter {
    publish(name: string, message: unknown, overrides?: Record<string, unknown>): Promise<Publication>;
    subscribe(name: string, overrides?: Record<string, unknown>): Promise<SubscriberSession>;
    shutdown(): Promise<void>;
  }
  const rascal: {
    BrokerAsPromised: { create(config: BrokerConfig): Promise<BrokerAsPromised> };
    withDefaultConfig(config: BrokerConfig): BrokerConfig;
  };
  export default rascal;
}
