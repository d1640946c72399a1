package io.imagegate.usage;

import java.util.Objects;

/**
 * A status answered and its error code, as the rollup keys them: {@code errorCode} is {@code ""} for none
 * (the ledger's NULL), never null.
 */
public record UsageOutcome(int status, String errorCode) implements Comparable<UsageOutcome> {
  public UsageOutcome {
    Objects.requireNonNull(errorCode, "errorCode");
  }

  /** The outcome of a ledger row (a null error code is {@code ""}). */
  static UsageOutcome of(LedgerEntry e) { return new UsageOutcome(e.status(), e.errorCode() == null ? "" : e.errorCode()); }

  /** The error code as the ledger stores it: null for none. */
  public String errorCodeOrNull() { return errorCode.isEmpty() ? null : errorCode; }

  @Override
  public int compareTo(UsageOutcome o) {
    int c = Integer.compare(status, o.status);
    return c != 0 ? c : errorCode.compareTo(o.errorCode);
  }
}
