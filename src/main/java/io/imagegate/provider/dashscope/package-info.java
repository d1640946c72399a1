/**
 * Qwen-Image on Alibaba Model Studio (DashScope) as an upstream: one image per call (a request's {@code n}
 * fanned out), through the synchronous multimodal-generation endpoint, or as an async task (submit with
 * {@code X-DashScope-Async: enable}, then poll within the request's deadline) for a deployment set to
 * {@code api: async}; the result URL downloaded at once through the guarded fetcher; billed per image.
 */
package io.imagegate.provider.dashscope;
