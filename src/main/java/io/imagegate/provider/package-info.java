/**
 * The provider adapter contract ({@link io.imagegate.provider.ImageProvider}) and its inputs and outputs,
 * and the {@link io.imagegate.provider.ProviderRegistry} of the shipped providers; one subpackage per
 * provider, {@code local} being the embedded engine.
 *
 * <p>Each provider folder has the same members: {@code <Name>Provider} declares its rules (the
 * {@code provider:} name, whether it takes a base URL and a key, its own settings, its default
 * capabilities) and its {@link io.imagegate.provider.ProviderRegistry.Type}; its endpoints turn the
 * deployment's settings into URLs and headers; the adapter maps a validated job to the vendor's request
 * and the vendor's answer back ({@code openai}'s {@code OpenAiRequests} and {@code OpenAiAnswers}, which
 * {@code azure} and {@code compatible} reuse with endpoints of their own). A new vendor is a new folder of
 * that shape plus its line in the registry: nothing in {@code config/} or {@code engine/} names a provider,
 * except the environment's defaults ({@code OPENAI_API_KEY} gives an {@code openai} deployment, else
 * {@code local}).
 */
package io.imagegate.provider;
