package io.imagegate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The files and batches routes over real HTTP: validation, bad input, ownership, cancel. */
class BatchesIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        up: {provider: openai, base_url: "{{up}}", api_key: sk-batches-upstream-key-0001}
      routes:
        up: {deployments: [up], rules: gpt-image-2}
      retry: {max_attempts: 1, total_deadline_seconds: 30}
      """, Map.of("IMAGEGATE_BATCH_MAX_FILE_MB", "1", "IMAGEGATE_JOB_WORKERS", "2"));
  private static final FakeUpstream upstream = GATEWAY.upstream("up");
  private static final ScriptedImages script = new ScriptedImages();
  private static final BatchClient batches = new BatchClient(() -> GATEWAY.gateway().baseUrl());

  @BeforeAll
  static void script() { upstream.server().setDispatcher(script); }

  @BeforeEach
  void reset() {
    upstream.server().setDispatcher(script);
    script.delayMillis = 0;
    script.prompts.clear();
    script.edits.clear();
  }

  private static String newKey(String name) {
    return GATEWAY.gateway().gateway().keys().create(name, List.of(), false).secret();
  }

  @Test
  void malformedLines_failTheBatchAtValidation_withOpenAisErrors_andRunNothing() throws Exception {
    String file = batches.uploaded(MASTER, List.of(BatchClient.line("a", "a cat", "1024x1024"), "{not json",
        BatchClient.line("a", "a dog", "1024x1024"), BatchClient.line("c", "a cow", "1024x1024")
            .replace("/v1/images/generations", "/v1/images/edits")));
    JsonNode batch = batches.await(MASTER, batches.created(MASTER, file), 30);
    assertThat(batch.get("status").asText()).isEqualTo("failed");
    assertThat(batch.get("failed_at").asLong()).isPositive();
    JsonNode errors = batch.at("/errors/data");
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0).get("code").asText()).isEqualTo("invalid_json_line");
    assertThat(errors.get(0).get("line").asInt()).isEqualTo(2);
    assertThat(errors.get(1).get("code").asText()).isEqualTo("duplicate_custom_id");
    assertThat(errors.get(1).get("line").asInt()).isEqualTo(3);
    assertThat(errors.get(2).get("code").asText()).isEqualTo("url_mismatch");
    assertThat(errors.get(2).get("line").asInt()).isEqualTo(4);
    assertThat(batch.get("output_file_id").isNull()).isTrue();
    assertThat(script.prompts).isEmpty();
  }

  @Test
  void badInput_eachAClear4xx() {
    String file = batches.uploaded(MASTER, List.of(BatchClient.line("a", "a cat", "1024x1024")));
    Http.Answer endpoint = batches.create(MASTER, file, "/v1/chat/completions");
    assertError(endpoint, 400, "endpoint");
    assertError(batches.create(MASTER, "file-0000000000000000000000ff", "/v1/images/generations"), 400,
        "input_file_id");
    String vision = batches.upload(MASTER, "vision", "cat.png", new byte[] {1, 2, 3}).json().get("id").asText();
    assertError(batches.create(MASTER, vision, "/v1/images/generations"), 400, "input_file_id");
    assertError(Http.postJson(GATEWAY.url("/v1/batches"), MASTER, "{\"input_file_id\":\"" + file + "\",\"endpoint\":"
        + "\"/v1/images/generations\",\"completion_window\":\"1h\"}"), 400, "completion_window");
    assertError(Http.postJson(GATEWAY.url("/v1/batches"), MASTER, "{\"endpoint\":\"/v1/images/generations\","
        + "\"completion_window\":\"24h\"}"), 400, "input_file_id");
    assertError(Http.postJson(GATEWAY.url("/v1/batches"), MASTER, "{nope"), 400, null);
    assertError(batches.upload(MASTER, "fine-tune", "a.jsonl", new byte[] {'{', '}'}), 400, "purpose");
    assertError(batches.upload(MASTER, null, "a.jsonl", new byte[] {'{', '}'}), 400, "purpose");
    assertError(batches.upload(MASTER, "batch", null, null), 400, "file");
    byte[] big = new byte[1024 * 1024 + 10];
    java.util.Arrays.fill(big, (byte) '\n');
    assertError(batches.upload(MASTER, "batch", "big.jsonl", big), 413, "file");
    Multipart.Builder chunked = new Multipart.Builder().text("purpose", "batch").file("file", "big.jsonl",
        "application/jsonl", big);
    byte[] form = chunked.build();
    Http.Answer noLength = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(GATEWAY.url("/v1/files")))
        .header("Authorization", "Bearer " + MASTER).header("Content-Type", chunked.contentType())
        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(form)))
        .build());
    assertError(noLength, 413, "file");
    assertThat(Http.get(GATEWAY.url("/v1/files?purpose=batch&limit=100"), MASTER).json().get("data"))
        .noneMatch(f -> f.get("filename").asText().equals("big.jsonl"));
  }

  @Test
  void anotherKey_gets404OnTheFileAndTheBatch_theirOwnerAndAnAdminDoNot() throws Exception {
    String owner = newKey("batch-owner");
    String other = newKey("batch-other");
    String file = batches.uploaded(owner, List.of(BatchClient.line("a", "a cat", "1024x1024")));
    String id = batches.created(owner, file);
    for (String path : List.of("/v1/files/" + file, "/v1/files/" + file + "/content", "/v1/batches/" + id)) {
      assertThat(Http.get(GATEWAY.url(path), other).status()).as(path).isEqualTo(404);
      assertThat(Http.get(GATEWAY.url(path), owner).status()).as(path).isEqualTo(200);
      assertThat(Http.get(GATEWAY.url(path), MASTER).status()).as(path).isEqualTo(200);
    }
    assertThat(batches.cancel(other, id).status()).isEqualTo(404);
    assertThat(Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(GATEWAY.url("/v1/files/" + file)))
        .header("Authorization", "Bearer " + other).DELETE().build()).status()).isEqualTo(404);
    assertError(batches.create(other, file, "/v1/images/generations"), 400, "input_file_id");
    assertThat(Http.get(GATEWAY.url("/v1/files"), other).json().get("data")).isEmpty();
    assertThat(Http.get(GATEWAY.url("/v1/batches"), other).json().get("data")).isEmpty();
    assertThat(Http.get(GATEWAY.url("/v1/batches"), owner).json().at("/data/0/id").asText()).isEqualTo(id);
    assertThat(batches.await(owner, id, 30).get("status").asText()).isEqualTo("completed");
  }

  @Test
  void files_uploadGetListContentDelete() {
    byte[] content = (BatchClient.line("a", "a cat", "1024x1024") + "\n").getBytes(StandardCharsets.UTF_8);
    JsonNode file = batches.upload(MASTER, "batch", "cats.jsonl", content).json();
    assertThat(file.get("object").asText()).isEqualTo("file");
    assertThat(file.get("purpose").asText()).isEqualTo("batch");
    assertThat(file.get("bytes").asLong()).isEqualTo(content.length);
    assertThat(file.get("filename").asText()).isEqualTo("cats.jsonl");
    assertThat(file.get("created_at").asLong()).isPositive();
    String id = file.get("id").asText();
    assertThat(Http.get(GATEWAY.url("/v1/files/" + id), MASTER).json()).isEqualTo(file);
    Http.Answer raw = Http.get(GATEWAY.url("/v1/files/" + id + "/content"), MASTER);
    assertThat(raw.raw().body()).isEqualTo(content);
    assertThat(Http.get(GATEWAY.url("/v1/files?purpose=vision"), MASTER).json().get("data"))
        .noneMatch(f -> f.get("id").asText().equals(id));
    JsonNode page = Http.get(GATEWAY.url("/v1/files?purpose=batch&limit=1"), MASTER).json();
    assertThat(page.at("/data/0/id").asText()).isEqualTo(id);
    assertThat(page.get("has_more").asBoolean()).isIn(true, false);
    JsonNode deleted = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(GATEWAY.url("/v1/files/"
        + id))).header("Authorization", "Bearer " + MASTER).DELETE().build()).json();
    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    assertThat(Http.get(GATEWAY.url("/v1/files/" + id), MASTER).status()).isEqualTo(404);
    assertThat(Http.get(GATEWAY.url("/v1/files/" + id + "/content"), MASTER).status()).isEqualTo(404);
  }

  @Test
  void cancelMidway_cancellingThenCancelled_linesNotStartedNeverRunNorCharged() throws Exception {
    script.delayMillis = 400;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) lines.add(BatchClient.line("c-" + i, "a kite " + i, "1024x1024"));
    String id = batches.created(MASTER, batches.uploaded(MASTER, lines));
    long end = System.nanoTime() + 30_000_000_000L;
    while (batches.get(MASTER, id).json().at("/request_counts/completed").asInt() < 2) {
      assertThat(System.nanoTime()).isLessThan(end);
      Thread.sleep(50);
    }
    JsonNode cancelling = batches.cancel(MASTER, id).json();
    assertThat(cancelling.get("status").asText()).isIn("cancelling", "cancelled");
    assertThat(cancelling.get("cancelling_at").asLong()).isPositive();
    JsonNode done = batches.await(MASTER, id, 30);
    assertThat(done.get("status").asText()).isEqualTo("cancelled");
    assertThat(done.get("cancelled_at").asLong()).isPositive();
    int completed = done.at("/request_counts/completed").asInt();
    assertThat(completed).isBetween(2, 10);
    assertThat(done.at("/request_counts/failed").asInt()).isZero();
    assertThat(done.at("/request_counts/total").asInt()).isEqualTo(30);
    List<JsonNode> output = batches.lines(MASTER, done.get("output_file_id").asText());
    List<JsonNode> errors = batches.lines(MASTER, done.get("error_file_id").asText());
    assertThat(output).hasSize(completed);
    assertThat(errors).hasSize(30 - completed);
    for (JsonNode e : errors) {
      assertThat(e.get("response").isNull()).isTrue();
      assertThat(e.at("/error/code").asText()).isEqualTo("batch_cancelled");
    }
    Thread.sleep(600); // nothing cancelled starts later
    assertThat(script.prompts).hasSize(completed);
    String jdbc = "jdbc:sqlite:" + GATEWAY.gateway().dataDir().resolve("imagegate.db");
    for (JsonNode line : output) {
      assertThat(BatchClient.charges(jdbc, line.at("/response/request_id").asText())[0]).isEqualTo(1);
    }
    assertThat(batches.cancel(MASTER, id).status()).isEqualTo(409);
  }

  @Test
  void edit_refersToAnUploadedImageByFileId_itsBytesReachTheUpstream_anotherKeysFileIsA400() {
    byte[] png = io.imagegate.testing.TestImages.png(64, 64);
    String image = batches.upload(MASTER, "vision", "cat.png", png).json().get("id").asText();
    Http.Answer edit = Http.postJson(GATEWAY.url("/v1/images/edits"), MASTER, "{\"model\":\"up\",\"prompt\":"
        + "\"a hat on the cat\",\"size\":\"1024x1024\",\"quality\":\"low\",\"images\":[{\"file_id\":\"" + image
        + "\"}]}");
    assertThat(edit.status()).as(String.valueOf(edit.json())).isEqualTo(200);
    assertThat(script.edits).hasSize(1);
    assertThat(script.edits.getFirst().all().stream().filter(p -> p.filename() != null).map(Multipart.Part::data)
        .toList()).singleElement().isEqualTo(png);

    String other = newKey("file-id-other");
    Http.Answer refused = Http.postJson(GATEWAY.url("/v1/images/edits"), other, "{\"model\":\"up\",\"prompt\":"
        + "\"a hat\",\"images\":[{\"file_id\":\"" + image + "\"}]}");
    assertError(refused, 400, "images[0]");
    String batchFile = batches.uploaded(MASTER, List.of(BatchClient.line("a", "a cat", "1024x1024")));
    assertError(Http.postJson(GATEWAY.url("/v1/images/edits"), MASTER, "{\"model\":\"up\",\"prompt\":"
        + "\"a hat\",\"images\":[{\"file_id\":\"" + batchFile + "\"}]}"), 400, "images[0]");
    assertThat(script.edits).as("nothing more reached the upstream").hasSize(1);
  }

  private static void assertError(Http.Answer a, int status, String param) {
    assertThat(a.status()).as(String.valueOf(a.json())).isEqualTo(status);
    assertThat(a.error().get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(a.error().get("message").asText()).isNotBlank();
    if (param != null) assertThat(a.error().get("param").asText()).isEqualTo(param);
  }

}
