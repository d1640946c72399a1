package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.TestDatabase;
import io.imagegate.usage.LedgerEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /admin/usage} over real HTTP on SQLite and PostgreSQL, now read from the rollup and the ledger's
 * ragged ends: the same groups and sums as a scan of the ledger at bounds inside hours, on them and between.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class UsageTotalsIT {
  private static final Instant START = Instant.parse("2026-03-30T21:00:00Z");
  @Parameter TestDatabase store; // the class is run once per store; start() gets it too
  private static UsageFixture usage;

  @BeforeParameterizedClassInvocation
  static void start(TestDatabase store) {
    usage = UsageFixture.start(store);
    Random random = new Random(3);
    List<LedgerEntry> rows = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      int status = random.nextInt(8) == 0 ? 502 : 200;
      rows.add(new LedgerEntry(START.plusMillis((long) (random.nextDouble() * 3 * 86_400_000L)), "t" + i,
          "key_" + random.nextInt(5), random.nextBoolean() ? "gpt-image-1" : "gpt-image-2", "dep", "openai", "generations",
          null, null, 1, status == 200 ? 1 : 0, random.nextInt(40), random.nextInt(300), random.nextInt(7000),
          status == 200 ? random.nextInt(250_000) / 1e6 : 0, status, status == 200 ? null : "upstream_error",
          random.nextInt(60_000), null, null));
    }
    usage.seed(rows);
  }

  @AfterParameterizedClassInvocation
  static void stop() { usage.close(); }

  @Test
  void totals_atRaggedBounds_equalAScanOfTheLedger_inTheSameShape() throws Exception {
    List<String[]> windows = List.of(
        new String[] {null, null},
        new String[] {"2026-03-31", "2026-04-02"}, // whole days
        new String[] {"2026-03-31T10:17:43.211Z", "2026-04-01T22:00:00.001Z"},
        new String[] {Long.toString(START.getEpochSecond() + 5_000), Long.toString(START.getEpochSecond() + 200_003)},
        new String[] {"2026-03-31T10:05:00Z", "2026-03-31T10:55:00Z"}, // inside one hour
        new String[] {"2026-03-31T10:59:59.999Z", null});
    int groups = 0;
    for (String[] w : windows) {
      for (String filter : List.of("", "&key=key_3", "&model=gpt-image-1", "&key=key_1&model=gpt-image-2")) {
        for (String groupBy : List.of("day", "key", "model")) {
          String query = "/admin/usage?group_by=" + groupBy + (w[0] == null ? "" : "&from=" + w[0])
              + (w[1] == null ? "" : "&to=" + w[1]) + filter;
          JsonNode answer = usage.get(query);
          List<JsonNode> expected = scan(groupBy, bound(w[0]), bound(w[1]), param(filter, "key"), param(filter, "model"));
          assertThat(answer.get("object").asText()).isEqualTo("usage");
          assertThat(answer.get("group_by").asText()).isEqualTo(groupBy);
          assertThat(answer.get("data")).as(query).hasSameSizeAs(expected);
          long requests = 0;
          for (int i = 0; i < expected.size(); i++) {
            JsonNode got = answer.get("data").get(i), want = expected.get(i);
            List<String> fields = new ArrayList<>();
            got.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("group", "requests", "images", "text_input_tokens", "image_input_tokens",
                "image_output_tokens", "cost_usd");
            for (String f : fields.subList(0, 6)) assertThat(got.get(f).asText()).as("%s %s", query, f).isEqualTo(want.get(f).asText());
            assertThat(got.get("cost_usd").asDouble()).as(query).isCloseTo(want.get("cost_usd").asDouble(), within(1e-9));
            requests += want.get("requests").asLong();
          }
          assertThat(answer.at("/total/requests").asLong()).isEqualTo(requests);
          groups += expected.size();
        }
      }
    }
    assertThat(groups).isGreaterThan(150);
  }

  private static Instant bound(String v) {
    if (v == null) return null;
    if (v.chars().allMatch(Character::isDigit)) return Instant.ofEpochSecond(Long.parseLong(v));
    if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    return Instant.parse(v);
  }

  private static String param(String filter, String name) {
    for (String part : filter.split("&")) if (part.startsWith(name + "=")) return part.substring(name.length() + 1);
    return null;
  }

  /** The full scan that {@code /admin/usage} ran before the rollup, as JSON rows. */
  private static List<JsonNode> scan(String groupBy, Instant from, Instant to, String key, String model) throws SQLException {
    String g = switch (groupBy) {
      case "day" -> "created_at / 86400000";
      case "key" -> "key_id";
      default -> "model_asked";
    };
    List<String> where = new ArrayList<>(List.of("1 = 1"));
    List<Object> args = new ArrayList<>();
    if (from != null) { where.add("created_at >= ?"); args.add(from.toEpochMilli()); }
    if (to != null) { where.add("created_at < ?"); args.add(to.toEpochMilli()); }
    if (key != null) { where.add("key_id = ?"); args.add(key); }
    if (model != null) { where.add("model_asked = ?"); args.add(model); }
    String sql = "SELECT " + g + ", COUNT(*), SUM(images_returned), SUM(text_in_tokens), SUM(image_in_tokens),"
        + " SUM(image_out_tokens), SUM(cost_usd) FROM usage_ledger WHERE " + String.join(" AND ", where)
        + " GROUP BY " + g + " ORDER BY " + g;
    try (Connection c = usage.store().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) st.setObject(i + 1, args.get(i));
      List<JsonNode> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String group = groupBy.equals("day") ? LocalDate.ofEpochDay(rs.getLong(1)).toString() : rs.getString(1);
          out.add(io.imagegate.testing.Http.JSON.createObjectNode().put("group", group).put("requests", rs.getLong(2))
              .put("images", rs.getLong(3)).put("text_input_tokens", rs.getLong(4)).put("image_input_tokens", rs.getLong(5))
              .put("image_output_tokens", rs.getLong(6)).put("cost_usd", rs.getDouble(7)));
        }
      }
      return out;
    }
  }
}
