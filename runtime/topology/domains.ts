/**
 * An event type (routing key) travels on the topic exchange of its domain, so
 * `publish(type, data)` and a handler's default subscription agree without naming an exchange.
 * Names are unprefixed; the runtime adds `<prefix>.`.
 */
export const domainExchanges: readonly { prefix: string; exchange: string }[] = [
  // longest prefix first: `indonesian.business.*` must not be taken for a shorter domain
  { prefix: 'indonesian.business.', exchange: 'indonesian.business.events' },
  { prefix: 'inventory.', exchange: 'inventory.events' },
  { prefix: 'orders.', exchange: 'orders.events' },
  { prefix: 'customers.', exchange: 'customers.events' },
  { prefix: 'analytics.', exchange: 'analytics.events' },
];

/**
 * The domain exchange of an event type, or of a topic pattern whose leading words are literal
 * (`inventory.#` → `inventory.events`). `undefined` when the type belongs to no domain or the
 * pattern's domain words are wildcards (`#`, `*.stock.changed`, `indonesian.*.x`).
 */
export function exchangeForType(type: string): string | undefined {
  for (const d of domainExchanges) {
    if (type.startsWith(d.prefix) && type.length > d.prefix.length) return d.exchange;
  }
  return undefined;
}
