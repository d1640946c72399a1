/** API keys: making, hashing, storing and checking them; which models a key may call. */
package io.imagegate.auth;
