/** The embedded local engine: draws a deterministic, prompt-driven scene (or restyles input images) with no
 * model and no network, and encodes it fast as PNG, JPEG or WebP. */
package io.imagegate.provider.local;
