package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.usage.TokenMeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's settings over HTTP: prices from the config file, and prompts kept only when asked to. */
class LedgerSettingsIT {
  private static final String PROMPT = "a red fox in fresh snow";
  private static final String BODY = "{\"prompt\":\"" + PROMPT + "\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
  @TempDir Path dir;

  @Test
  void configuredPrices_areCharged_andKeepPrompts_storesThePrompt() throws Exception {
    Path yaml = dir.resolve("imagegate.yaml");
    Files.writeString(yaml, """
        server:
          keep_prompts: true
        deployments:
          laptop: {provider: local}
        routes:
          gpt-image-2: {deployments: [laptop]}
        prices:
          gpt-image-2: {text_in: 1, image_out: 100}
        """);
    try (RunningGateway g = RunningGateway.withConfig(yaml)) {
      assertThat(Http.postJson(g.url("/v1/images/generations"), RunningGateway.MASTER_KEY, BODY).status()).isEqualTo(200);
      List<String> rows = csv(g);
      assertThat(rows).hasSize(2);
      double expected = (TokenMeter.textTokens(PROMPT) * 1.0 + 196 * 100.0) / 1_000_000;
      assertThat(Double.parseDouble(column(rows, "cost_usd"))).isCloseTo(expected, Offset.offset(1e-9));
      assertThat(column(rows, "prompt")).isEqualTo(PROMPT);
    }
  }

  @Test
  void byDefault_theLedgerHoldsNoPrompt_andSpec7Prices() {
    try (RunningGateway g = RunningGateway.start()) {
      assertThat(Http.postJson(g.url("/v1/images/generations"), RunningGateway.MASTER_KEY, BODY).status()).isEqualTo(200);
      List<String> rows = csv(g);
      double expected = (TokenMeter.textTokens(PROMPT) * 5.0 + 196 * 30.0) / 1_000_000;
      assertThat(Double.parseDouble(column(rows, "cost_usd"))).isCloseTo(expected, Offset.offset(1e-9));
      assertThat(column(rows, "prompt")).isEmpty();
    }
  }

  private static List<String> csv(RunningGateway g) {
    Http.Answer a = Http.get(g.url("/admin/usage?format=csv"), RunningGateway.MASTER_KEY);
    assertThat(a.status()).isEqualTo(200);
    return new String(a.raw().body(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
  }

  /** A column of the one data row (no field in these rows holds a comma or quote). */
  private static String column(List<String> rows, String name) {
    List<String> header = List.of(rows.get(0).split(",", -1));
    return rows.get(1).split(",", -1)[header.indexOf(name)];
  }
}
