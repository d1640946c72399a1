/** Azure OpenAI's images API as an upstream: deployment paths, api-version and the api-key header. */
package io.imagegate.provider.azure;
