package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

  @Test
  void nothingSet_givesTheDocumentedDefaults() {
    JobSettings jobs = Settings.fromEnvironment(Map.of()).jobs();
    assertThat(jobs).isEqualTo(new JobSettings(4, 100, Duration.ofHours(24), Duration.ofSeconds(30)));
  }

  @Test
  void eachVariable_setsItsSetting() {
    JobSettings jobs = JobSettings.fromEnvironment(Map.of("IMAGEGATE_JOB_WORKERS", "0",
        "IMAGEGATE_JOB_MAX_QUEUED_PER_KEY", "5", "IMAGEGATE_JOB_RETENTION_HOURS", "48",
        "IMAGEGATE_JOB_LEASE_SECONDS", "3"));
    assertThat(jobs).isEqualTo(new JobSettings(0, 5, Duration.ofHours(48), Duration.ofSeconds(3)));
  }

  @Test
  void aLeaseTooShortToHeartbeat_isRefusedNamingTheVariable() {
    assertThatThrownBy(() -> JobSettings.fromEnvironment(Map.of("IMAGEGATE_JOB_LEASE_SECONDS", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("IMAGEGATE_JOB_LEASE_SECONDS must be a whole number from 3 to 3600, not '1'");
  }
}
