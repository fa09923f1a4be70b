/**
 * Plugins and config name exchanges and queues without the prefix; the runtime adds `<prefix>.`,
 * so several deployments can share one broker. Event types (routing keys) are never prefixed.
 */
export function prefixed(prefix: string, name: string): string {
  return `${prefix}.${name}`;
}

export function deadLetterExchangeName(prefix: string): string {
  return prefixed(prefix, 'dlx');
}

export function dlqName(queue: string): string {
  return `${queue}.dlq`;
}

/**
 * One wait queue per delay tier: RabbitMQ expires per-message TTLs only at the head of a queue, so
 * a long wait in front would hold back a short one behind it.
 */
export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`;
}

export function retryDelay(policy: { delayMs: number; multiplier: number; maxDelayMs: number }, attempt: number): number {
  const raw = policy.delayMs * policy.multiplier ** Math.max(0, attempt - 1);
  return Math.round(Math.min(raw, policy.maxDelayMs));
}
