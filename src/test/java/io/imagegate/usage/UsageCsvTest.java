package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageCsvTest {
  static LedgerEntry entry(String user, String prompt) {
    return new LedgerEntry(Instant.parse("2026-04-21T10:15:30.123Z"), "req_1", "key_a", "gpt-image-2", null, null,
        "generations", "1024x1024", "high", 2, 2, 11, 0, 14048, 0.421495, 200, null, 1234, user, prompt);
  }

  static String csv(List<LedgerEntry> rows) throws Exception {
    StringWriter out = new StringWriter();
    UsageCsv.write(rows, out);
    return out.toString();
  }

  @Test
  void headerThenOneCrlfLinePerRow_nullsEmpty() throws Exception {
    String text = csv(List.of(entry("alice", null)));
    assertThat(text).isEqualTo(UsageCsv.HEADER + "\r\n"
        + "2026-04-21T10:15:30.123Z,req_1,key_a,gpt-image-2,,,generations,1024x1024,high,2,2,11,0,14048,0.421495,200,,1234,alice,\r\n");
  }

  @Test
  void headerAloneForNoRows() throws Exception {
    assertThat(csv(List.of())).isEqualTo(UsageCsv.HEADER + "\r\n");
  }

  @Test
  void commasQuotesAndNewlines_areQuotedPerRfc4180() throws Exception {
    String text = csv(List.of(entry("a,b \"c\"\nd", "line1\r\nline2")));
    assertThat(text).endsWith(",1234,\"a,b \"\"c\"\"\nd\",\"line1\r\nline2\"\r\n");
  }

  @Test
  void costIsPlainDecimal_neverScientific() throws Exception {
    LedgerEntry tiny = new LedgerEntry(Instant.EPOCH, "r", "k", "gpt-image-2", null, null, "edits", null, null,
        1, 1, 1, 0, 0, 0.000005, 200, null, 0, null, null);
    assertThat(csv(List.of(tiny))).contains(",0.000005,").doesNotContain("E-");
  }

  @Test
  void formulaLookingText_isDefused() throws Exception {
    assertThat(csv(List.of(entry("=HYPERLINK(\"http://x\")", "@SUM(A1)"))))
        .endsWith(",\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(A1)\r\n");
  }
}
