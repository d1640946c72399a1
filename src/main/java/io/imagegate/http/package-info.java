/**
 * The gateway's own HTTP/1.1 client for every call it makes (upstreams, an S3 bucket, input-image URLs):
 * blocking, run by the calling virtual thread, pooled keep-alive connections, one deadline per call; and
 * the pool of relay buffers that bounds the memory of answers in flight.
 */
package io.imagegate.http;
