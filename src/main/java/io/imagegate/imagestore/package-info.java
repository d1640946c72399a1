/**
 * Images kept for {@code response_format: url}: files in the data dir, served through signed, expiring
 * {@code /v1/images/files/{id}} URLs, and purged once expired.
 */
package io.imagegate.imagestore;
