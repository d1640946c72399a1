/**
 * The embedded local engine: draws a deterministic, prompt-driven scene (or restyles input images)
 * with no network and no model, and encodes it quickly as PNG, JPEG or WebP.
 */
package io.imagegate.provider.local;
