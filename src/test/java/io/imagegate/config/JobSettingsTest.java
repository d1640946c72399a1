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

  @Test
  void batchVariables_setTheDiscountAndTheUploadLimit_defaultsHalfPriceAnd200Mb() {
    assertThat(JobSettings.fromEnvironment(Map.of()).batchDiscount()).isEqualTo(0.5);
    assertThat(JobSettings.fromEnvironment(Map.of()).maxBatchFileBytes()).isEqualTo(200L * 1024 * 1024);
    JobSettings jobs = JobSettings.fromEnvironment(Map.of("IMAGEGATE_BATCH_DISCOUNT", "1",
        "IMAGEGATE_BATCH_MAX_FILE_MB", "7"));
    assertThat(jobs.batchDiscount()).isEqualTo(1.0);
    assertThat(jobs.maxBatchFileBytes()).isEqualTo(7L * 1024 * 1024);
    assertThatThrownBy(() -> JobSettings.fromEnvironment(Map.of("IMAGEGATE_BATCH_DISCOUNT", "1.5")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IMAGEGATE_BATCH_DISCOUNT");
    assertThatThrownBy(() -> JobSettings.fromEnvironment(Map.of("IMAGEGATE_BATCH_MAX_FILE_MB", "201")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IMAGEGATE_BATCH_MAX_FILE_MB");
  }
}
