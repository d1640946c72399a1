/**
 * The provider adapter contract ({@link io.imagegate.provider.ImageProvider}) and its inputs and outputs;
 * one subpackage per upstream kind, {@code local} being the embedded engine.
 */
package io.imagegate.provider;
