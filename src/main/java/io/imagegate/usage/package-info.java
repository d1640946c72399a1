/** Token accounting and (later) prices and the usage ledger: what a request cost. */
package io.imagegate.usage;
