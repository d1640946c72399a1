/**
 * OpenAI's images API as an upstream, and the wire that Azure OpenAI and OpenAI-compatible servers share with
 * it: the adapter ({@link io.imagegate.provider.openai.OpenAiAdapter}), where and how to call
 * ({@link io.imagegate.provider.openai.Endpoints}, here {@link io.imagegate.provider.openai.OpenAiEndpoints}),
 * request mapping (JSON and multipart), answer and error mapping (answers relayed as they arrive), and
 * server-sent event reading. The {@code azure} and {@code compatible} folders bring only their endpoints.
 */
package io.imagegate.provider.openai;
