/**
 * Shared storage plumbing only: the database pool and its Flyway migrations, and the Redis client that
 * several instances share for counters. Feature SQL and scripts live in their feature.
 */
package io.imagegate.store;
