/** Signed webhooks (package export `stokcerdas/webhooks`): one signing scheme for every plugin that posts to HTTP receivers. */
export { postSigned, sign, verify, retryAfterMs, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signed-webhook.ts';
export type { WebhookOutcome, SignedPost } from './signed-webhook.ts';
