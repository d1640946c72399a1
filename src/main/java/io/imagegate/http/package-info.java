/**
 * The gateway's own HTTP/1.1 client for the calls it makes to upstreams and to an S3 bucket: blocking, run by
 * the calling virtual thread, with pooled keep-alive connections.
 */
package io.imagegate.http;
