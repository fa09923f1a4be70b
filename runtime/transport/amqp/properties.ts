import type { Message, Options } from 'amqplib';
import type { Delivery, HeaderValue, MessageProperties, QueueSpec } from '../contract.ts';

/** Contract properties → amqplib publish options. Persistent unless asked otherwise: a broker restart must not lose events. */
export function toPublishOptions(p: MessageProperties): Options.Publish {
  const o: Options.Publish = { deliveryMode: p.persistent === false ? 1 : 2 };
  if (p.messageId !== undefined) o.messageId = p.messageId;
  if (p.type !== undefined) o.type = p.type;
  // passed through unchanged (the contract's unit); AMQP itself does not interpret it
  if (p.timestamp !== undefined) o.timestamp = p.timestamp;
  if (p.correlationId !== undefined) o.correlationId = p.correlationId;
  if (p.contentType !== undefined) o.contentType = p.contentType;
  if (p.priority !== undefined) o.priority = p.priority;
  // the AMQP expiration property is a shortstr of milliseconds, not a number
  if (p.expiration !== undefined) o.expiration = String(Math.max(0, Math.floor(p.expiration)));
  if (p.appId !== undefined) o.appId = p.appId;
  if (p.headers !== undefined) o.headers = p.headers;
  return o;
}

/** amqplib message properties → contract properties (absent fields stay absent). */
export function fromMessage(msg: Message, queue: string): Delivery {
  const src = msg.properties;
  const p: MessageProperties = { persistent: src.deliveryMode === 2 };
  if (src.messageId !== undefined) p.messageId = src.messageId;
  if (src.type !== undefined) p.type = src.type;
  if (src.timestamp !== undefined) p.timestamp = Number(src.timestamp);
  if (src.correlationId !== undefined) p.correlationId = src.correlationId;
  if (src.contentType !== undefined) p.contentType = src.contentType;
  if (src.priority !== undefined) p.priority = src.priority;
  if (src.expiration !== undefined) p.expiration = Number(src.expiration);
  if (src.appId !== undefined) p.appId = src.appId;
  if (src.headers !== undefined) p.headers = src.headers as Record<string, HeaderValue>;
  return {
    body: msg.content,
    exchange: msg.fields.exchange,
    routingKey: msg.fields.routingKey,
    queue,
    properties: p,
    redelivered: msg.fields.redelivered,
  };
}

/** Contract queue spec → x-arguments. Only what is set is sent: the broker compares them on redeclare. */
export function queueArguments(q: QueueSpec): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (q.type !== undefined) args['x-queue-type'] = q.type;
  if (q.messageTtl !== undefined) args['x-message-ttl'] = q.messageTtl;
  if (q.deadLetterExchange !== undefined) args['x-dead-letter-exchange'] = q.deadLetterExchange;
  if (q.deadLetterRoutingKey !== undefined) args['x-dead-letter-routing-key'] = q.deadLetterRoutingKey;
  if (q.maxPriority !== undefined) args['x-max-priority'] = q.maxPriority;
  if (q.deadLetterStrategy !== undefined) args['x-dead-letter-strategy'] = q.deadLetterStrategy;
  if (q.overflow !== undefined) args['x-overflow'] = q.overflow;
  if (q.deliveryLimit !== undefined) args['x-delivery-limit'] = q.deliveryLimit;
  return args;
}
