import { postSigned, type WebhookOutcome } from 'stokcerdas/webhooks';
import type { SyncRequest } from './events.ts';
import type { TargetOptions } from './options.ts';

/**
 * How a request reaches a sales channel. An adapter never throws for a failed push: it returns an
 * outcome the kill switch can count (`unavailable` and `rate-limited` pause the target eventually,
 * `rejected` dead-letters that one request and says nothing about the target's health).
 *
 * Adapters other than the built-in `webhook` (a marketplace's own API, say) come from another
 * plugin: its setup registers an `AdapterFactory` as the service `integration-sync.adapter.<name>`,
 * and a target selects it with `adapter: '<name>'`.
 */
export type PushOutcome = WebhookOutcome;

export interface PushCall {
  /** the source event's id: the same change pushed twice must be applied once */
  idempotencyKey: string;
  /** the host's clock (unix ms) */
  now: number;
  /** aborted when the handler times out */
  signal: AbortSignal;
}

export interface SyncAdapter {
  push(request: SyncRequest, call: PushCall): Promise<PushOutcome>;
}

export type AdapterFactory = (target: { name: string; options: TargetOptions }) => SyncAdapter;

export const adapterService = (name: string) => `integration-sync.adapter.${name}`;

/**
 * The generic signed webhook: POST `{ id, target, kind, occurredAt, tenantId, data }` as JSON with
 * `Idempotency-Key` = the source event id and the HMAC signature headers (`stokcerdas/webhooks`).
 */
export const webhookAdapter: AdapterFactory = ({ name, options }) => ({
  push(request, call) {
    const body = JSON.stringify({
      id: request.sourceEventId,
      target: name,
      kind: request.kind,
      type: request.sourceEventType,
      occurredAt: request.occurredAt,
      ...(request.tenantId ? { tenantId: request.tenantId } : {}),
      data: request.data,
    });
    return postSigned({
      url: options.url!,
      secret: options.secret!,
      timeoutMs: options.timeoutMs,
      now: call.now,
      signal: call.signal,
      body,
      headers: { ...options.headers, 'idempotency-key': call.idempotencyKey, 'x-stokcerdas-event-type': request.sourceEventType },
    });
  },
});
