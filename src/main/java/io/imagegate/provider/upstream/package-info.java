/**
 * What all OpenAI-shaped upstreams share: request mapping (JSON and multipart), answer and error mapping,
 * server-sent event reading and the bounded attempt; each kind contributes only its {@link
 * io.imagegate.provider.upstream.Endpoints}.
 */
package io.imagegate.provider.upstream;
