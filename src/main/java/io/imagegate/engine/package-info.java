/**
 * The conductor of an images call ({@link io.imagegate.engine.ImageService}): admission, routing, validation,
 * limits, the deployment chain with retries and fallbacks, the answer as it is written, and its charge.
 * The web layer reaches it through {@link io.imagegate.engine.Exchange}.
 */
package io.imagegate.engine;
