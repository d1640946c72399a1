/**
 * The Google Gemini API as an upstream: its image models through {@code :generateContent}, one image per
 * call (a request's {@code n} fanned out), sizes as aspect ratio and tier, usage from {@code usageMetadata}.
 */
package io.imagegate.provider.gemini;
