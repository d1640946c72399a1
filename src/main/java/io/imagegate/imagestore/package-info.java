/**
 * Images kept for {@code response_format: url}: blobs in the data dir or an S3-compatible bucket (SigV4 over
 * the JDK HTTP client), served by the gateway through signed, expiring {@code /v1/images/files/{id}} URLs,
 * and purged once expired.
 */
package io.imagegate.imagestore;
