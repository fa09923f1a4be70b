import type { CarriedEvent, Delivery, MessageProperties, OutgoingMessage } from './contract.ts';
import { copyJson, copyJsonValue } from './json-copy.ts';

/**
 * An event on its way through a transport that carries events instead of bytes (memory): what
 * `JSON.parse(body)` would give, taken when it was published, so neither the publisher changing
 * its payload afterwards nor a handler changing the event it got can alter it. The transport keeps
 * it and hands out copies only, one per delivery, as each AMQP delivery decodes an object of its own;
 * the bytes are made only if someone reads `body` (a retry or dead-letter copy, the console, `get`).
 */
export class EventSnapshot implements CarriedEvent {
  private encoded: Buffer | undefined;

  private constructor(
    private readonly value: Record<string, unknown>,
    /** who found the event valid at publish, or undefined when it was not checked (see take) */
    readonly validatedBy: unknown,
  ) {}

  /**
   * Snapshots `event` with JSON's semantics (what JSON.stringify throws, this throws). `validate`
   * runs on the snapshot when nothing had to be converted on the way, so what it checked is what
   * the consumer gets; it answers who vouches for the event (undefined: the consumer checks it).
   */
  static take(event: Record<string, unknown>, validate: (value: Record<string, unknown>) => unknown): EventSnapshot {
    const { value, exact } = copyJson(event);
    const record = value as Record<string, unknown>;
    return new EventSnapshot(record, exact ? validate(record) : undefined);
  }

  /** A copy of its own for one delivery. */
  copy(): Record<string, unknown> {
    return copyJsonValue(this.value);
  }

  /** The bytes the event would have travelled as: its JSON text, UTF-8. */
  get body(): Buffer {
    return (this.encoded ??= Buffer.from(JSON.stringify(this.value), 'utf8'));
  }
}

/** An outgoing message carrying its event: `body` is encoded from it when read. */
export class CarriedMessage implements OutgoingMessage {
  constructor(
    public exchange: string,
    public routingKey: string,
    readonly event: CarriedEvent,
    public properties: MessageProperties,
  ) {}

  get body(): Buffer {
    return this.event.body;
  }
}

/** A delivery of a carried event: `event` is copied on first read, `body` encoded on first read. */
export class CarriedDelivery implements Delivery {
  private own: Record<string, unknown> | undefined;

  constructor(
    private readonly snapshot: CarriedEvent,
    readonly exchange: string,
    readonly routingKey: string,
    readonly queue: string,
    readonly properties: MessageProperties,
    readonly redelivered: boolean,
  ) {}

  get event(): Record<string, unknown> {
    return (this.own ??= this.snapshot.copy());
  }

  get eventValidatedBy(): unknown {
    return this.snapshot.validatedBy;
  }

  get body(): Buffer {
    return this.snapshot.body;
  }
}
