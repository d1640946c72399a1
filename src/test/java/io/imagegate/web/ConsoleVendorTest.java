package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every vendored file of the dashboard is the one its table records, by SHA-256, and none is unrecorded. */
class ConsoleVendorTest {
  private static final Path VENDOR = Path.of("src/main/resources/ui/vendor");

  @Test
  void theVendoredFiles_matchTheirRecordedSums() throws Exception {
    String table = Files.readString(VENDOR.resolve("VENDOR.md"));
    Matcher row = Pattern.compile("\\| `([^`]+)` \\| `([0-9a-f]{64})` \\|").matcher(table);
    int checked = 0;
    while (row.find()) {
      byte[] bytes = Files.readAllBytes(VENDOR.resolve(row.group(1)));
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).as(row.group(1))
          .isEqualTo(row.group(2));
      checked++;
    }
    try (var files = Files.list(VENDOR)) {
      long served = files.filter(f -> f.toString().matches(".*\\.(js|css)")).count();
      assertThat(checked).as("every .js and .css in vendor/ has a row").isEqualTo(served).isPositive();
    }
  }
}
