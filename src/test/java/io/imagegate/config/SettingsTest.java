package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void from_environmentWinsOverFileValues_keyByKey() {
    Settings s = Settings.from(Map.of("IMAGEGATE_PORT", "9000", "IMAGEGATE_HOST", "file-host",
        "IMAGEGATE_DATA_DIR", "/file"), Map.of("IMAGEGATE_PORT", "9100", "IMAGEGATE_DATA_DIR", " ", "OTHER", "x"));

    assertThat(s.port()).isEqualTo(9100);
    assertThat(s.host()).isEqualTo("file-host");
    assertThat(s.dataDir()).as("a blank variable does not override").isEqualTo(Path.of("/file"));
  }

  @Test
  void from_noValues_isFromEnvironmentDefaults() {
    assertThat(Settings.from(Map.of(), Map.of())).isEqualTo(Settings.fromEnvironment(Map.of()));
  }

  @Test
  void from_badValue_namesWhereItCameFrom() {
    assertThatThrownBy(() -> Settings.from(Map.of(), Map.of("IMAGEGATE_MAX_BODY_MB", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("IMAGEGATE_MAX_BODY_MB must be a whole number from 1 to 4096, not '0' (set in the environment)");
    assertThatThrownBy(() -> Settings.from(Map.of("IMAGEGATE_PORT", "x"), Map.of()))
        .hasMessageEndingWith("(set in the config file's server section)");
  }

  @Test
  void bodyTimeout_60sByDefault_fromTheFileOrTheEnvironment_1to3600() {
    assertThat(Settings.fromEnvironment(Map.of()).bodyTimeoutSeconds()).isEqualTo(60);
    assertThat(Settings.from(Map.of("IMAGEGATE_BODY_TIMEOUT_SECONDS", "5"), Map.of()).bodyTimeoutSeconds()).isEqualTo(5);
    assertThat(Settings.from(Map.of("IMAGEGATE_BODY_TIMEOUT_SECONDS", "5"), Map.of("IMAGEGATE_BODY_TIMEOUT_SECONDS", "7"))
        .bodyTimeoutSeconds()).isEqualTo(7);
    assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("IMAGEGATE_BODY_TIMEOUT_SECONDS", "0")))
        .hasMessageStartingWith("IMAGEGATE_BODY_TIMEOUT_SECONDS must be a whole number from 1 to 3600");
  }

  @Test
  void fromEnvironment_isUnchanged() {
    Settings s = Settings.fromEnvironment(Map.of("IMAGEGATE_FETCH_ALLOW_HOSTS", " a , ,b", "IMAGEGATE_MASTER_KEY", " "));

    assertThat(s.fetchAllowHosts()).containsExactly("a", "b");
    assertThat(s.masterKey()).isNull();
    assertThat(s.port()).isEqualTo(8080);
    assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("IMAGEGATE_PORT", "-1")))
        .hasMessage("IMAGEGATE_PORT must be a whole number from 0 to 65535, not '-1'");
  }

  @Test
  void toString_neverShowsTheMasterKeyOrADatabasePassword() {
    Settings s = Settings.fromEnvironment(Map.of("IMAGEGATE_MASTER_KEY", "sk-very-secret-master",
        "IMAGEGATE_DATABASE_URL", "jdbc:postgresql://db/imagegate?user=ig&password=hunter2"));
    assertThat(s.toString()).doesNotContain("sk-very-secret-master").doesNotContain("hunter2").contains("***");
    Settings uri = Settings.fromEnvironment(Map.of("IMAGEGATE_DATABASE_URL", "postgres://ig:hunter2@db:5432/imagegate"));
    assertThat(uri.toString()).doesNotContain("hunter2").contains("postgres://ig:***@db:5432/imagegate");
  }

  @Test
  void corsOrigins_offByDefault_exactOriginsOrStar_elseRefused() {
    assertThat(Settings.fromEnvironment(Map.of()).corsOrigins()).isEmpty();
    assertThat(Settings.fromEnvironment(Map.of("IMAGEGATE_CORS_ORIGINS", " https://App.example.com, http://localhost:3000 ,"))
        .corsOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(Settings.fromEnvironment(Map.of("IMAGEGATE_CORS_ORIGINS", "*")).corsOrigins()).containsExactly("*");
    assertThat(Settings.from(Map.of("IMAGEGATE_CORS_ORIGINS", "https://a.example"), Map.of()).corsOrigins())
        .containsExactly("https://a.example");
    for (String bad : new String[] {"https://app.example.com/", "app.example.com", "https://a.example/path", "ftp://a.example"}) {
      assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("IMAGEGATE_CORS_ORIGINS", bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IMAGEGATE_CORS_ORIGINS");
    }
  }
}
