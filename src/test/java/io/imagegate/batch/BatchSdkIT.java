package io.imagegate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official openai-java SDK runs a batch of 200 image lines unchanged ({@code files().create},
 * {@code batches().create}, {@code batches().retrieve}, {@code files().content}): one line the gateway refuses
 * (a size no model takes) and one whose upstream fails end in the error file, the other 198 in the output file,
 * each charged once at half price.
 */
class BatchSdkIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        up: {provider: openai, base_url: "{{up}}", api_key: sk-batch-sdk-upstream-key-0001}
      routes:
        up: {deployments: [up], rules: gpt-image-2}
      retry: {max_attempts: 1, total_deadline_seconds: 30}
      """);
  private static final FakeUpstream upstream = GATEWAY.upstream("up");
  private static final ScriptedImages script = new ScriptedImages();
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstream.server().setDispatcher(script);
    client = OpenAIOkHttpClient.builder().apiKey(RunningGateway.MASTER_KEY).baseUrl(GATEWAY.url("/v1"))
        .maxRetries(0).build();
  }

  @AfterAll
  static void stop() { client.close(); }

  @Test
  void twoHundredLines_oneRefusedOneUpstreamFailure_countsFilesAndDiscountedChargesExact() throws Exception {
    Http.Answer sync = GATEWAY.post("/v1/images/generations", "{\"model\":\"up\",\"prompt\":\"a boat\","
        + "\"size\":\"1024x1024\",\"quality\":\"low\"}");
    assertThat(sync.status()).isEqualTo(200);
    String jdbc = "jdbc:sqlite:" + GATEWAY.gateway().dataDir().resolve("imagegate.db");
    double listPrice = awaitCharge(jdbc, sync.header("x-request-id"));
    assertThat(listPrice).isPositive();
    script.prompts.clear();

    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String prompt = i == 123 ? "a boat upstream-fails" : "a boat " + i;
      lines.add(BatchClient.line("req-" + i, prompt, i == 57 ? "13x13" : "1024x1024"));
    }
    Path input = Files.createTempFile("batch-", ".jsonl");
    Files.writeString(input, String.join("\n", lines) + "\n");

    FileObject file = client.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build());
    assertThat(file.id()).startsWith("file-");
    assertThat(file.bytes()).isEqualTo(Files.size(input));
    assertThat(file.filename()).isEqualTo(input.getFileName().toString());

    Batch batch = client.batches().create(BatchCreateParams.builder().inputFileId(file.id())
        .endpoint(BatchCreateParams.Endpoint.V1_IMAGES_GENERATIONS)
        .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
    assertThat(batch.status()).isEqualTo(Batch.Status.VALIDATING);
    long end = System.nanoTime() + 120_000_000_000L;
    while (!batch.status().equals(Batch.Status.COMPLETED)) {
      assertThat(System.nanoTime()).as("batch still " + batch.status()).isLessThan(end);
      assertThat(batch.status()).isIn(Batch.Status.VALIDATING, Batch.Status.IN_PROGRESS, Batch.Status.FINALIZING);
      Thread.sleep(200);
      batch = client.batches().retrieve(batch.id());
    }
    assertThat(batch.requestCounts().orElseThrow().total()).isEqualTo(200);
    assertThat(batch.requestCounts().get().completed()).isEqualTo(198);
    assertThat(batch.requestCounts().get().failed()).isEqualTo(2);
    assertThat(batch.inProgressAt()).isPresent();
    assertThat(batch.finalizingAt()).isPresent();
    assertThat(batch.completedAt()).isPresent();

    List<JsonNode> output = content(batch.outputFileId().orElseThrow());
    assertThat(output).hasSize(198);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) if (i != 57 && i != 123) expected.add("req-" + i);
    assertThat(output.stream().map(l -> l.get("custom_id").asText()).toList()).isEqualTo(expected);
    for (JsonNode line : output) {
      assertThat(line.get("id").asText()).startsWith("batch_req_");
      assertThat(line.get("error").isNull()).isTrue();
      assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
      assertThat(line.at("/response/body/data/0/b64_json").asText()).isNotEmpty();
      double[] charge = BatchClient.charges(jdbc, line.at("/response/request_id").asText());
      assertThat(charge[0]).as("one charge per line").isEqualTo(1);
      assertThat(charge[1]).as("half the list price").isCloseTo(listPrice * 0.5, org.assertj.core.data.Offset.offset(1e-9));
    }

    List<JsonNode> errors = content(batch.errorFileId().orElseThrow());
    assertThat(errors.stream().map(l -> l.get("custom_id").asText()).toList()).containsExactly("req-57", "req-123");
    assertThat(errors.get(0).at("/response/status_code").asInt()).isEqualTo(400);
    assertThat(errors.get(0).at("/response/body/error/param").asText()).isEqualTo("size");
    assertThat(errors.get(1).at("/response/status_code").asInt()).isBetween(500, 599);
    assertThat(errors.get(1).at("/response/body/error/message").asText()).isNotEmpty();
    for (JsonNode line : errors) {
      assertThat(line.get("error").isNull()).isTrue();
      assertThat(BatchClient.charges(jdbc, line.at("/response/request_id").asText())[0]).isZero();
    }
    assertThat(script.prompts).as("the refused line never reached the upstream").hasSize(199)
        .doesNotContain("a boat 57");
  }

  private static List<JsonNode> content(String fileId) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    try (HttpResponse response = client.files().content(fileId)) {
      for (String line : new String(response.body().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) lines.add(Http.json(line));
      }
    }
    return lines;
  }

  /** The ledger is written behind the answer: waits for the call's row. */
  private static double awaitCharge(String jdbc, String requestId) throws Exception {
    long end = System.nanoTime() + 10_000_000_000L;
    double[] c;
    while ((c = BatchClient.charges(jdbc, requestId))[0] == 0 && System.nanoTime() < end) Thread.sleep(50);
    return c[1];
  }
}
