package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every images request leaves a ledger row: answered ones charged at spec §7 prices, failed ones free. */
class UsageLedgerIT {
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void generate_answered200_isChargedInTheLedger_andARefusalIsFree() {
    String secret = gateway.gateway().keys().create("ledger-team", List.of(), false).secret();
    Http.Answer ok = Http.postJson(gateway.url("/v1/images/generations"), secret,
        "{\"prompt\":\"a lantern on a table\",\"quality\":\"low\",\"n\":2,\"user\":\"end-user-7\"}");
    assertThat(ok.status()).isEqualTo(200);
    Http.Answer refused = Http.postJson(gateway.url("/v1/images/generations"), secret,
        "{\"prompt\":\"x\",\"size\":\"1000x1000\"}");
    assertThat(refused.status()).isEqualTo(400);

    // gpt-image-2 prices per 1M tokens: text in 5, image out 30 (spec §7)
    JsonNode usage = ok.json().get("usage");
    double expected = (usage.at("/input_tokens_details/text_tokens").asLong() * 5.0
        + usage.at("/output_tokens_details/image_tokens").asLong() * 30.0) / 1_000_000;
    JsonNode own = Http.get(gateway.url("/v1/usage?group_by=model"), secret).json();
    assertThat(own.at("/total/requests").asLong()).isEqualTo(2);
    assertThat(own.at("/total/images").asLong()).isEqualTo(2);
    assertThat(own.at("/total/cost_usd").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(own.at("/data/0/group").asText()).isEqualTo("gpt-image-2");

    Http.Answer csv = Http.get(gateway.url("/admin/usage?format=csv"), RunningGateway.MASTER_KEY);
    String rows = new String(csv.raw().body(), StandardCharsets.UTF_8);
    assertThat(csv.header("content-type")).startsWith("text/csv");
    String okRow = rows.lines().filter(l -> l.contains(ok.header("x-request-id"))).findFirst().orElseThrow();
    assertThat(okRow).contains("end-user-7").contains(",200,").doesNotContain("lantern"); // no prompt by default
    String refusedRow = rows.lines().filter(l -> l.contains(refused.header("x-request-id"))).findFirst().orElseThrow();
    assertThat(refusedRow).contains(",400,").contains("invalid_value");

    // another key sees only its own spend
    String other = gateway.gateway().keys().create("other", List.of(), false).secret();
    assertThat(Http.get(gateway.url("/v1/usage"), other).json().at("/total/requests").asLong()).isZero();
    assertThat(Http.get(gateway.url("/admin/usage"), other).status()).isEqualTo(403);
    assertThat(Http.get(gateway.url("/admin/usage?group_by=week"), RunningGateway.MASTER_KEY).status()).isEqualTo(400);
  }
}
