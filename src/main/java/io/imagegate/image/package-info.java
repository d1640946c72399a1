/** Reading input images safely: header-only probing and limits, base64 and data URLs, and an
 * SSRF-guarded URL fetcher; every bad input becomes {@code invalid_image}. */
package io.imagegate.image;
