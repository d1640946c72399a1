/**
 * Idempotency-Key support: a claim per (API key, client key) in the shared database, so a repeated POST
 * replays the first answer byte for byte instead of generating (and charging) again, on any instance.
 */
package io.imagegate.idempotency;
