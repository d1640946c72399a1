package io.imagegate.usage;

import java.util.List;

/**
 * One page of ledger rows, newest first, without what the end user sent (user and prompt are null).
 *
 * @param next where the next page starts; null on the last page
 */
public record RequestPage(List<LedgerEntry> rows, RequestCursor next) {
  public RequestPage {
    rows = List.copyOf(rows);
  }

  public boolean hasMore() { return next != null; }
}
