package io.imagegate;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.config.Settings;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imagegate keys create|list|revoke} against the same store a running gateway reads. */
class KeysCommandIT {

  private static String run(Settings settings, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.keys(settings, args, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(code).as("exit code of keys " + String.join(" ", args)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void keys_createListRevoke_takeEffectOnTheRunningGateway() throws Exception {
    try (RunningGateway gateway = RunningGateway.start()) {
      Settings settings = Settings.fromEnvironment(Map.of("IMAGEGATE_DATA_DIR", gateway.dataDir().toString()));
      String secret = run(settings, "create", "--name", "team-a", "--models", "gpt-image-2").trim();
      assertThat(secret).startsWith("sk-").hasSizeGreaterThan(40);
      String body = "{\"prompt\":\"x\",\"quality\":\"low\"}";
      assertThat(Http.postJson(gateway.url("/v1/images/generations"), secret, body).status()).isEqualTo(200);
      assertThat(Http.postJson(gateway.url("/v1/images/generations"), secret,
          "{\"model\":\"gpt-image-1\",\"prompt\":\"x\"}").status()).isEqualTo(403);

      String listing = run(settings, "list");
      assertThat(listing).contains("team-a").contains(secret.substring(0, 8)).doesNotContain(secret)
          .contains("gpt-image-2");
      String id = listing.lines().filter(l -> l.contains("team-a")).findFirst().orElseThrow().split("\\s+")[0];

      run(settings, "revoke", id);
      assertThat(Http.postJson(gateway.url("/v1/images/generations"), secret, body).status()).isEqualTo(401);
      assertThat(run(settings, "list")).contains("revoked");
    }
  }

  @Test
  void keys_areStoredOnlyAsHashes(@TempDir Path dir) throws Exception {
    Settings settings = Settings.fromEnvironment(Map.of("IMAGEGATE_DATA_DIR", dir.toString()));
    String secret = run(settings, "create", "--name", "x").trim();
    byte[] file = Files.readAllBytes(dir.resolve("imagegate.db"));
    assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    try (var db = io.imagegate.store.Database.open(settings.jdbcUrl());
        Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT secret_hash FROM api_keys")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).hasSize(64).doesNotContain(secret);
    }
  }

  @Test
  void adminKey_isCreatedOnceWhenNoMasterKeyAndNoKeys(@TempDir Path dir) {
    var config = io.imagegate.config.ConfigLoader.load(Map.of("IMAGEGATE_DATA_DIR", dir.toString(),
        "IMAGEGATE_PORT", "0", "IMAGEGATE_HOST", "127.0.0.1"), io.imagegate.provider.ProviderRegistry.CATALOG);
    String secret;
    try (Gateway gateway = new Gateway(config)) {
      secret = gateway.ensureAdminKey();
      assertThat(secret).startsWith("sk-");
      gateway.start();
      assertThat(Http.get("http://127.0.0.1:" + gateway.port() + "/v1/models", secret).status()).isEqualTo(200);
    }
    try (Gateway again = new Gateway(config)) {
      assertThat(again.ensureAdminKey()).as("no second admin key is printed").isNull();
    }
  }
}
