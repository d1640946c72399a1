/**
 * Seedream on Volcengine or BytePlus ModelArk as an upstream: {@code /api/v3/images/generations}, one image
 * per call (a request's {@code n} fanned out), answered as base64 JPEG, billed per image.
 */
package io.imagegate.provider.ark;
