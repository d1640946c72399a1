package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.auth.Budget;
import io.imagegate.auth.KeySpec;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.usage.TokenMeter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A key's budget holds however many requests run at once: worst cases are reserved before any work. */
class BudgetIT {
  private static final String PROMPT = "a kite over the sea";
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void generate_200ConcurrentAgainstABudgetFor50_exactly50Succeed() {
    // gpt-image-2, 1024² low: 196 image tokens out at $30/1M, the prompt's text tokens at $5/1M (spec §7).
    double perRequest = (TokenMeter.textTokens(PROMPT) * 5.0 + 196 * 30.0) / 1_000_000;
    double budget = perRequest * 50.5;
    String key = gateway.gateway().keys().create(new KeySpec("budgeted", null, List.of(), List.of("images"), null,
        null, new Budget(budget, Budget.Period.TOTAL), null, false)).secret();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/v1/images/generations")))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + PROMPT
            + "\",\"size\":\"1024x1024\",\"quality\":\"low\"}")).build();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    int ok = 0, refused = 0;
    List<String> other = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.join();
      if (r.statusCode() == 200) ok++;
      else if (r.statusCode() == 429 && r.body().contains("insufficient_quota")) refused++;
      else other.add(r.statusCode() + " " + r.body());
    }
    assertThat(other).as("answers other than 200 and 429 insufficient_quota").isEmpty();
    assertThat(ok).isEqualTo(50);
    assertThat(refused).isEqualTo(150);
    double spent = Http.get(gateway.url("/v1/usage"), key).json().at("/total/cost_usd").asDouble();
    assertThat(spent).isLessThanOrEqualTo(budget).isCloseTo(50 * perRequest, Offset.offset(1e-9));
  }
}
