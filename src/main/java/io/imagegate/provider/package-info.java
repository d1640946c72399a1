/**
 * The provider adapter contract ({@link io.imagegate.provider.ImageProvider}) and its inputs and outputs,
 * and the {@link io.imagegate.provider.ProviderRegistry} of the adapters; one subpackage per provider kind,
 * {@code local} being the embedded engine.
 */
package io.imagegate.provider;
