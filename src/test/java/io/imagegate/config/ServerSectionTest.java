package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSectionTest {
  @TempDir Path dir;

  private String error(String yaml, Map<String, String> env) { return ConfigFiles.error(dir, yaml, env).getMessage(); }

  private String at(int line, String path) { return ConfigFiles.at(dir, line, path); }

  @Test
  void load_badPortInFile_namesLineAndPath() {
    assertThat(error("server:\n  host: h\n  port: 70000\n", Map.of()))
        .isEqualTo(at(3, "server.port") + "expected a whole number from 0 to 65535, got \"70000\"");
    assertThat(error("server:\n  max_body_mb: 0\n", Map.of()))
        .isEqualTo(at(2, "server.max_body_mb") + "expected a whole number from 1 to 4096, got \"0\"");
  }

  @Test
  void load_badPortInFile_overriddenByGoodEnvironmentValue_isStillAnError() {
    // the file itself is wrong; an override elsewhere must not hide that
    assertThat(error("server:\n  port: abc\n", Map.of("IMAGEGATE_PORT", "80"))).startsWith(at(2, "server.port"));
  }

  @Test
  void load_portFromEnvironmentReference_isParsed() {
    GatewayConfig c = ConfigFiles.load(dir, "server:\n  port: ${PORT:-8123}\n", Map.of());

    assertThat(c.settings().port()).isEqualTo(8123);
  }

  @Test
  void load_fetchAllowHostsAsCommaString_isAccepted() {
    GatewayConfig c = ConfigFiles.load(dir, "server:\n  fetch_allow_hosts: 127.0.0.1, ::1\n", Map.of());

    assertThat(c.settings().fetchAllowHosts()).containsExactly("127.0.0.1", "::1");
  }

  @Test
  void load_unknownTopLevelKey_suggestsKnownKey() {
    assertThat(error("server: {}\nroute:\n  x: y\n", Map.of()))
        .isEqualTo(at(2, "route") + "unknown key; did you mean \"routes\"?");
    assertThat(error("server:\n  hots: h\n", Map.of())).isEqualTo(at(2, "server.hots") + "unknown key; did you mean \"host\"?");
  }

  @Test
  void load_serverNotAMapping_isAnError() {
    assertThat(error("server: 8080\n", Map.of()))
        .isEqualTo(at(1, "server") + "expected a mapping of keys, got \"8080\"");
  }

  @Test
  void load_serverHostAsList_isAnError() {
    assertThat(error("server:\n  host:\n    - a\n", Map.of())).isEqualTo(at(2, "server.host") + "expected a string, got a list");
  }
}
