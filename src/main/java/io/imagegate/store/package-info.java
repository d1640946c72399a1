/** Shared database plumbing only: the pool and the Flyway migrations. Feature SQL lives in its feature. */
package io.imagegate.store;
