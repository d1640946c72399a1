/**
 * The provider-agnostic pipeline: route a model to a provider, validate, resolve input images and sizes,
 * run the provider and account the usage.
 */
package io.imagegate.engine;
