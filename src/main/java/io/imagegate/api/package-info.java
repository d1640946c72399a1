/**
 * The OpenAI images wire contract (spec §2–§8): request and answer records, size rules, per-model
 * validation, token accounting and the error shape. Knows nothing of HTTP frameworks or providers.
 */
package io.imagegate.api;
