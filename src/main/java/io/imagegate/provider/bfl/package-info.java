/**
 * FLUX on the Black Forest Labs API as an upstream: one task per image (a request's {@code n} fanned out),
 * submitted to {@code /v1/{model}}, polled at its {@code polling_url} within the request's deadline, and its
 * short-lived {@code result.sample} downloaded at once through the guarded fetcher; billed per image.
 */
package io.imagegate.provider.bfl;
