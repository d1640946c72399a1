package io.imagegate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Sums of the ledger over {@code [from, to)} per day, key or model, read mostly from the rollups, and equal to
 * a full scan of the ledger at any bounds.
 *
 * <p>Implementation notes: the window splits into the whole UTC days inside it, which {@code usage_rollup_daily}
 * answers (a few thousand rows for a month); the whole hours before the first and after the last whole day
 * (under a day each), which {@code usage_rollup} answers; and the ragged ends before the first and after the
 * last whole hour (under an hour each), which the ledger answers through its {@code created_at} index. A rollup
 * hour or day holds exactly the ledger rows of that hour or day (all are written in one transaction), so the
 * parts add up to the ledger's own sums: counts and tokens to the last unit, the cost but for the rounding of a
 * sum of doubles taken in another order. One statement sums the parts ({@code UNION ALL}, then
 * {@code GROUP BY}), so groups come in the database's order, as they did from the scan.
 */
final class RollupTotals {
  private static final long DAY_HOURS = 24;
  private static final long HOUR = RollupCells.HOUR_MILLIS;
  private static final long DAY_MILLIS = DAY_HOURS * HOUR;

  private RollupTotals() {}

  static List<UsageTotal> totals(DataSource db, UsageQuery q, GroupBy groupBy) {
    Long from = q.from() == null ? null : q.from().toEpochMilli();
    Long to = q.to() == null ? null : q.to().toEpochMilli();
    if (from != null && to != null && from >= to) return List.of();
    Long firstHour = from == null ? null : ceilDiv(from, HOUR); // whole hours [firstHour, endHour); null: open
    Long endHour = to == null ? null : Math.floorDiv(to, HOUR);
    List<String> parts = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (firstHour != null && endHour != null && firstHour >= endHour) {
      parts.add(ledgerPart(groupBy, q, from, to, args)); // no whole hour inside: the ledger alone
    } else {
      Long firstDay = firstHour == null ? null : ceilDiv(firstHour, DAY_HOURS); // whole days [firstDay, endDay)
      Long endDay = endHour == null ? null : Math.floorDiv(endHour, DAY_HOURS);
      if (firstDay != null && endDay != null && firstDay >= endDay) {
        parts.add(hourlyPart(groupBy, q, firstHour, endHour, args));
      } else {
        parts.add(dailyPart(groupBy, q, firstDay, endDay, args));
        if (firstHour != null && firstHour < firstDay * DAY_HOURS) {
          parts.add(hourlyPart(groupBy, q, firstHour, firstDay * DAY_HOURS, args));
        }
        if (endHour != null && endDay * DAY_HOURS < endHour) parts.add(hourlyPart(groupBy, q, endDay * DAY_HOURS, endHour, args));
      }
      if (from != null && from < firstHour * HOUR) parts.add(ledgerPart(groupBy, q, from, firstHour * HOUR, args));
      if (to != null && endHour * HOUR < to) parts.add(ledgerPart(groupBy, q, endHour * HOUR, to, args));
    }
    String sql = "SELECT g, SUM(n), SUM(images), SUM(text_in), SUM(image_in), SUM(image_out), SUM(cost) FROM ("
        + String.join(" UNION ALL ", parts) + ") parts GROUP BY g ORDER BY g";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      LedgerRows.bindAll(st, args);
      try (ResultSet rs = st.executeQuery()) {
        List<UsageTotal> out = new ArrayList<>();
        while (rs.next()) {
          String g = groupBy == GroupBy.DAY ? LocalDate.ofEpochDay(rs.getLong(1)).toString() : rs.getString(1);
          out.add(new UsageTotal(g, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
              rs.getDouble(7)));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not sum the usage ledger: " + e.getMessage(), e);
    }
  }

  private static String dailyPart(GroupBy groupBy, UsageQuery q, Long firstDay, Long endDay, List<Object> args) {
    return rollupPart("usage_rollup_daily", "day", "day", groupBy, q, firstDay, endDay, args);
  }

  private static String hourlyPart(GroupBy groupBy, UsageQuery q, long firstHour, long endHour, List<Object> args) {
    return rollupPart("usage_rollup", "hour", "hour / " + DAY_HOURS, groupBy, q, firstHour, endHour, args);
  }

  /** Sums of {@code table} over {@code [first, end)} of its {@code time} column (null: open), per group. */
  private static String rollupPart(String table, String time, String day, GroupBy groupBy, UsageQuery q, Long first,
      Long end, List<Object> args) {
    String g = switch (groupBy) {
      case DAY -> day;
      case KEY -> "key_id";
      case MODEL -> "model_asked";
    };
    List<String> where = new ArrayList<>();
    if (first != null) { where.add(time + " >= ?"); args.add(first); }
    if (end != null) { where.add(time + " < ?"); args.add(end); }
    LedgerRows.filters(q, where, args);
    return "SELECT " + g + " AS g, SUM(requests) AS n, SUM(images) AS images, SUM(text_in_tokens) AS text_in,"
        + " SUM(image_in_tokens) AS image_in, SUM(image_out_tokens) AS image_out, SUM(cost_usd) AS cost"
        + " FROM " + table + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " GROUP BY " + g;
  }

  private static String ledgerPart(GroupBy groupBy, UsageQuery q, long from, long to, List<Object> args) {
    String g = switch (groupBy) {
      case DAY -> "created_at / " + DAY_MILLIS;
      case KEY -> "key_id";
      case MODEL -> "model_asked";
    };
    List<String> where = new ArrayList<>(List.of("created_at >= ?", "created_at < ?"));
    args.add(from);
    args.add(to);
    LedgerRows.filters(q, where, args);
    return "SELECT " + g + " AS g, COUNT(*) AS n, SUM(images_returned) AS images, SUM(text_in_tokens) AS text_in,"
        + " SUM(image_in_tokens) AS image_in, SUM(image_out_tokens) AS image_out, SUM(cost_usd) AS cost"
        + " FROM usage_ledger WHERE " + String.join(" AND ", where) + " GROUP BY " + g;
  }

  private static long ceilDiv(long a, long b) { return -Math.floorDiv(-a, b); }
}
