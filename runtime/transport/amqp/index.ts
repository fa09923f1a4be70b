import { AmqpTransport } from './amqp-transport.ts';
import type { AmqpTransportOptions } from './connection-options.ts';

export { AmqpTransport, type StatusListener } from './amqp-transport.ts';
export type { AmqpTlsOptions, AmqpTransportOptions } from './connection-options.ts';
export { defaultConnectionName, redactUrl } from './connection-options.ts';

/** The RabbitMQ transport: call `connect()` before use, `close()` to finish. */
export function createAmqpTransport(options: AmqpTransportOptions): AmqpTransport {
  return new AmqpTransport(options);
}
