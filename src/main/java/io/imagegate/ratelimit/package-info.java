/**
 * Per-API-key rate limits (requests and images per minute) as smooth token buckets, and the OpenAI-style
 * {@code x-ratelimit-*} / {@code Retry-After} headers that every answer carries.
 */
package io.imagegate.ratelimit;
