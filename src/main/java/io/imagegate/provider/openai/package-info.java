/** OpenAI's images API as an upstream: endpoints and Bearer auth; mapping is shared in {@code upstream}. */
package io.imagegate.provider.openai;
