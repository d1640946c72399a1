/** Wiring and the command line: {@code Main} parses the command, {@code Gateway} builds and starts everything. */
package io.imagegate;
