/**
 * DESIGN §5: plugins and config name exchanges and queues without the prefix; the runtime adds
 * `<prefix>.`. Event types (routing keys) are never prefixed.
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

/** One wait queue per delay tier: per-message TTL only expires at the head (TIPS.md). */
export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`;
}

export function retryDelay(policy: { delayMs: number; multiplier: number; maxDelayMs: number }, attempt: number): number {
  const raw = policy.delayMs * policy.multiplier ** Math.max(0, attempt - 1);
  return Math.round(Math.min(raw, policy.maxDelayMs));
}
