/**
 * Webhooks of async image jobs (issue #12), signed the Standard Webhooks way as OpenAI signs its own:
 * {@link io.imagegate.webhooks.WebhookSigner} makes the per-key secrets and the {@code webhook-signature} header.
 */
package io.imagegate.webhooks;
