package io.imagegate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SQL of {@code usage_ledger} rows: the insert, reading a row back, and the filter of a {@link UsageQuery}. */
final class LedgerRows {
  static final String COLUMNS = "request_id, created_at, key_id, model_asked, deployment, provider, endpoint, size,"
      + " quality, n_asked, images_returned, text_in_tokens, image_in_tokens, image_out_tokens, cost_usd, status,"
      + " error_code, latency_ms, end_user, prompt";
  /** Every column but what the end user sent ({@code end_user}, {@code prompt}): what an admin listing shows. */
  static final String METADATA_COLUMNS = COLUMNS.replace(", end_user, prompt", "");
  // Casts type the parameters for PostgreSQL (INSERT ... SELECT has no column context); SQLite accepts them too.
  static final String INSERT = "INSERT INTO usage_ledger (" + COLUMNS + ") SELECT"
      + " CAST(? AS VARCHAR(64)), CAST(? AS BIGINT), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(200)),"
      + " CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR(32)),"
      + " CAST(? AS VARCHAR(16)), CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT),"
      + " CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION), CAST(? AS INTEGER), CAST(? AS VARCHAR(64)), CAST(? AS BIGINT),"
      + " CAST(? AS TEXT), CAST(? AS TEXT)"
      + " WHERE NOT EXISTS (SELECT 1 FROM usage_ledger WHERE request_id = ?)";

  private LedgerRows() {}

  static void bind(PreparedStatement st, LedgerEntry e) throws SQLException {
    st.setString(1, e.requestId());
    st.setLong(2, e.at().toEpochMilli());
    st.setString(3, e.keyId());
    st.setString(4, e.modelAsked());
    text(st, 5, e.deployment());
    text(st, 6, e.provider());
    st.setString(7, e.endpoint());
    text(st, 8, e.size());
    text(st, 9, e.quality());
    st.setInt(10, e.nAsked());
    st.setInt(11, e.imagesReturned());
    st.setLong(12, e.textInTokens());
    st.setLong(13, e.imageInTokens());
    st.setLong(14, e.imageOutTokens());
    st.setDouble(15, e.costUsd());
    st.setInt(16, e.status());
    text(st, 17, e.errorCode());
    st.setLong(18, e.latencyMillis());
    text(st, 19, e.user());
    text(st, 20, e.prompt());
    st.setString(21, e.requestId());
  }

  private static void text(PreparedStatement st, int i, String value) throws SQLException {
    if (value == null) st.setNull(i, Types.VARCHAR);
    else st.setString(i, value);
  }

  /** A row of {@link #COLUMNS}. */
  static LedgerEntry read(ResultSet rs) throws SQLException {
    return read(rs, rs.getString("end_user"), rs.getString("prompt"));
  }

  /** A row of {@link #METADATA_COLUMNS}: no user, no prompt. */
  static LedgerEntry readMetadata(ResultSet rs) throws SQLException { return read(rs, null, null); }

  private static LedgerEntry read(ResultSet rs, String user, String prompt) throws SQLException {
    return new LedgerEntry(Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("request_id"), rs.getString("key_id"),
        rs.getString("model_asked"), rs.getString("deployment"), rs.getString("provider"), rs.getString("endpoint"),
        rs.getString("size"), rs.getString("quality"), rs.getInt("n_asked"), rs.getInt("images_returned"),
        rs.getLong("text_in_tokens"), rs.getLong("image_in_tokens"), rs.getLong("image_out_tokens"), rs.getDouble("cost_usd"),
        rs.getInt("status"), rs.getString("error_code"), rs.getLong("latency_ms"), user, prompt);
  }

  static boolean exists(Connection c, String requestId) {
    try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM usage_ledger WHERE request_id = ?")) {
      st.setString(1, requestId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /** {@code " WHERE ..."} for the query's window, key and model (or {@code ""}), its values added to {@code args}. */
  static String where(UsageQuery q, List<Object> args) {
    if (q == null) return "";
    List<String> parts = new ArrayList<>();
    if (q.from() != null) { parts.add("created_at >= ?"); args.add(q.from().toEpochMilli()); }
    if (q.to() != null) { parts.add("created_at < ?"); args.add(q.to().toEpochMilli()); }
    filters(q, parts, args);
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  /** The key and model conditions of a query (column names shared by the ledger and the rollup). */
  static void filters(UsageQuery q, List<String> parts, List<Object> args) {
    if (q.keyId() != null) { parts.add("key_id = ?"); args.add(q.keyId()); }
    if (q.model() != null) { parts.add("model_asked = ?"); args.add(q.model()); }
  }

  /** Binds Long, Integer and String values in order. */
  static void bindAll(PreparedStatement st, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Long l) st.setLong(i + 1, l);
      else if (a instanceof Integer n) st.setInt(i + 1, n);
      else st.setString(i + 1, (String) a);
    }
  }
}
