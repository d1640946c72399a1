/**
 * What requests cost: token accounting (spec §7), prices, the durable usage ledger with its reports, and the
 * budget guard that keeps a key's spend within its budget.
 */
package io.imagegate.usage;
