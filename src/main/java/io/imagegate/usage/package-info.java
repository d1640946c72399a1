/**
 * What requests cost: token accounting (spec §7), prices, the durable usage ledger with its hourly rollup and
 * the reports read from them (totals, the overview of a window, pages of recent requests), and the budget
 * guard that keeps a key's spend within its budget.
 */
package io.imagegate.usage;
