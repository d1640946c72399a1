package io.imagegate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Pages of the ledger newest first, by keyset on {@code (created_at, request_id)}: a page asks for the rows
 * strictly before the previous page's last one ({@code (created_at, request_id) < (?, ?)}, a row value that
 * SQLite 3.15+ and PostgreSQL both take and walk an index with), so page 1,000 costs what page 1 does and a
 * row written meanwhile never shifts a page. The indexes of V6 lead with each filter column (key, model,
 * status) and end with {@code (created_at, request_id)}.
 */
final class RecentRequests {
  private RecentRequests() {}

  static RequestPage page(DataSource db, RequestFilter f, RequestCursor after, int limit) {
    if (f.outcomes() != null && f.outcomes().isEmpty()) return new RequestPage(List.of(), null);
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (f.keyId() != null) { where.add("key_id = ?"); args.add(f.keyId()); }
    if (f.model() != null) { where.add("model_asked = ?"); args.add(f.model()); }
    if (f.minStatus() != null) {
      if (f.minStatus().equals(f.maxStatus())) {
        where.add("status = ?");
        args.add(f.minStatus());
      } else {
        where.add("status >= ? AND status <= ?");
        args.add(f.minStatus());
        args.add(f.maxStatus());
      }
    }
    if (f.outcomes() != null) where.add(outcomes(f.outcomes(), args));
    if (after != null) {
      where.add("(created_at, request_id) < (?, ?)");
      args.add(after.createdAtMillis());
      args.add(after.requestId());
    }
    String sql = "SELECT " + LedgerRows.METADATA_COLUMNS + " FROM usage_ledger"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY created_at DESC, request_id DESC LIMIT " + (limit + 1);
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      LedgerRows.bindAll(st, args);
      List<LedgerEntry> rows = new ArrayList<>(limit + 1);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) rows.add(LedgerRows.readMetadata(rs));
      }
      if (rows.size() <= limit) return new RequestPage(rows, null);
      List<LedgerEntry> page = rows.subList(0, limit);
      return new RequestPage(page, RequestCursor.after(page.getLast()));
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the usage ledger: " + e.getMessage(), e);
    }
  }

  /**
   * {@code status IN (...) AND (...)} for the outcomes: the status list lets the status index narrow the walk;
   * the error codes, per status, say which rows of those statuses match ({@code ""} is the ledger's NULL).
   */
  private static String outcomes(List<UsageOutcome> outcomes, List<Object> args) {
    Map<Integer, List<String>> byStatus = new TreeMap<>();
    for (UsageOutcome o : outcomes) byStatus.computeIfAbsent(o.status(), s -> new ArrayList<>()).add(o.errorCode());
    List<String> statuses = new ArrayList<>();
    List<String> pairs = new ArrayList<>();
    List<Object> pairArgs = new ArrayList<>();
    for (var e : byStatus.entrySet()) {
      statuses.add("?");
      args.add(e.getKey());
      List<String> named = e.getValue().stream().filter(code -> !code.isEmpty()).toList();
      List<String> codes = new ArrayList<>();
      if (named.size() < e.getValue().size()) codes.add("error_code IS NULL OR error_code = ''");
      if (!named.isEmpty()) codes.add("error_code IN (" + String.join(", ", Collections.nCopies(named.size(), "?")) + ")");
      pairs.add("(status = ? AND (" + String.join(" OR ", codes) + "))");
      pairArgs.add(e.getKey());
      pairArgs.addAll(named);
    }
    args.addAll(pairArgs);
    return "status IN (" + String.join(", ", statuses) + ") AND (" + String.join(" OR ", pairs) + ")";
  }
}
