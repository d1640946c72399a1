package io.imagegate;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start banner's store line names where things live and never a password. */
class MainTest {
  @Test
  void storeLine_embeddedDefaults() {
    Settings s = Settings.fromEnvironment(Map.of("IMAGEGATE_DATA_DIR", "/var/lib/imagegate"));
    assertThat(Main.storeLine(s)).isEqualTo("SQLite /var/lib/imagegate/imagegate.db; limits and budgets in this process");
  }

  @Test
  void storeLine_postgresAndRedis_withoutPasswords() {
    Settings s = Settings.fromEnvironment(Map.of(
        "IMAGEGATE_DATABASE_URL", "postgres://gate:hunter2@db.internal:5432/images?sslmode=require",
        "IMAGEGATE_REDIS_URL", "redis://default:s3cret@cache:6379/2"));
    assertThat(Main.storeLine(s))
        .isEqualTo("PostgreSQL db.internal:5432/images; limits and budgets in Redis cache:6379/2")
        .doesNotContain("hunter2").doesNotContain("s3cret");
  }
}
