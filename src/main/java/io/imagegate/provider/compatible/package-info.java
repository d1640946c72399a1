/** Any OpenAI-compatible images server as an upstream, by base URL. */
package io.imagegate.provider.compatible;
