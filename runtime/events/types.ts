/** The wire format outside clients see (docs/wire-format.md), and the event object handlers see. */

export type IndoZone = 'WIB' | 'WITA' | 'WIT';

/** Extensions keep to the CloudEvents type system: string, integer, boolean (no float). */
export type ExtensionValue = string | number | boolean;

export interface CloudEventWire {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: 'application/json';
  /** `urn:stokcerdas:event:<type>:v<N>`: the payload's schema version (stamped on every event published) */
  dataschema?: string;
  data: unknown;
  tenantid?: string;
  userid?: string;
  correlationid?: string;
  causationid?: string;
  traceparent?: string;
  indotimezone?: string;
  indozone?: IndoZone;
  indobusinesshours?: boolean;
  indoramadan?: boolean;
  indoholiday?: string;
  /** the seasonal demand factor as a decimal string, e.g. "1.2" */
  indoseasonal?: string;
  [extension: string]: unknown;
}

export interface HolidayInfo {
  name: string;
  nameEn?: string;
  kind?: string;
}

/** The nested business context handlers read (`event.context.businessHours`, …). */
export interface BusinessContext {
  timezone: string;
  geographicContext: { timeZone: IndoZone; province?: string; region?: string };
  businessHours: boolean;
  ramadanSeason: boolean;
  holiday?: HolidayInfo;
  /** true when the calendar has no decree data for the year: holidays are unknown, not absent */
  holidaysUnknown?: boolean;
  culturalFactors: { seasonalFactor: number; [key: string]: unknown };
  regionalContext?: Record<string, unknown>;
  localTime?: string;
}

/** What a handler receives: the CloudEvent as it travels, plus the nested context. */
export interface StokEvent<T = unknown> extends CloudEventWire {
  data: T;
  context: BusinessContext;
}

export interface PublishOptions {
  tenantId?: string;
  userId?: string;
  correlationId?: string;
  causationId?: string;
  time?: string | Date | number;
  /** 0–9, default from config (5) */
  priority?: number;
  /** milliseconds, default from config (1 800 000) */
  ttl?: number;
  /** exchange name without the prefix; overrides the type's domain exchange */
  exchange?: string;
  /**
   * AMQP routing key when it must differ from the type (normally they are equal, so a binding pattern reads as a type pattern): a direct
   * exchange routes by channel (`notifications.direct` with `sms`). The event's `type` is unchanged.
   */
  routingKey?: string;
  source?: string;
  id?: string;
  traceparent?: string;
  /** the payload's schema URI; set by the publisher for known types */
  dataschema?: string;
  /**
   * Extra CloudEvents extensions (names 1–20 lowercase letters or digits; values string, integer
   * or boolean), e.g. the seed's `messageType` as `messagetype`. The runtime's own attributes and
   * extensions cannot be overridden through this.
   */
  extensions?: Record<string, ExtensionValue>;
  /** false: AMQP delivery mode 1 (lost if the broker restarts); default true */
  persistent?: boolean;
}
