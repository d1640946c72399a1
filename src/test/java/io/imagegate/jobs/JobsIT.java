package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.auth.KeySpec;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Async jobs over real HTTP against the local engine on SQLite: submit, poll, result, refusals, keys, pages. */
class JobsIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;
  private static final String BODY = "{\"prompt\":\"a lantern on a jetty\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
  private static RunningGateway gateway;
  private static JobClient jobs;

  @BeforeAll
  static void start() {
    gateway = RunningGateway.start();
    jobs = new JobClient(gateway::baseUrl);
  }

  @AfterAll
  static void stop() { gateway.close(); }

  private static String jdbc() { return "jdbc:sqlite:" + gateway.dataDir().resolve("imagegate.db"); }

  private static String newKey(String name) { return gateway.gateway().keys().create(name, List.of(), false).secret(); }

  @Test
  void submitWithCurl_pollsToSucceeded_withTheBodyTheSynchronousCallAnswers() throws Exception {
    Process curl = new ProcessBuilder("curl", "-s", "-i", "-X", "POST", gateway.url("/v1/images/generations"),
        "-H", "Authorization: Bearer " + MASTER, "-H", "Content-Type: application/json",
        "-H", "Prefer: respond-async", "--data-binary", BODY).redirectErrorStream(true).start();
    String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor()).isZero();
    assertThat(answer).startsWith("HTTP/1.1 202");
    String location = answer.lines().filter(l -> l.toLowerCase().startsWith("location:")).findFirst().orElseThrow()
        .substring(9).trim();
    JsonNode submitted = Http.json(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertThat(submitted.get("status").asText()).isEqualTo("queued");
    assertThat(submitted.get("model").asText()).isEqualTo("gpt-image-2");
    assertThat(submitted.get("created_at").asLong()).isPositive();
    String id = submitted.get("id").asText();
    assertThat(location).isEqualTo("/v1/images/jobs/" + id);

    JsonNode done = jobs.await(MASTER, id, 60);
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    Http.Answer sync = Http.postJson(gateway.url("/v1/images/generations"), MASTER, BODY);
    assertThat(sync.status()).isEqualTo(200);
    assertThat(done.get("result").get("data")).isEqualTo(sync.json().get("data"));
    assertThat(done.get("result").get("usage")).isEqualTo(sync.json().get("usage"));
    assertThat(TestImages.decodeBase64(done.get("result").get("data").get(0).get("b64_json").asText()).getWidth())
        .isEqualTo(1024);
    assertThat(JobClient.ledgerRows(jdbc(), id, 200)).as("the job is charged once, under its id").isEqualTo(1);
  }

  @Test
  void submit_urlAnswer_resultHoldsUrlsThatServeTheImage() throws Exception {
    String id = jobs.submitted(MASTER, BODY.replace("}", ",\"response_format\":\"url\"}"));
    JsonNode done = jobs.await(MASTER, id, 60);
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    String url = done.get("result").get("data").get(0).get("url").asText();
    assertThat(url).startsWith(gateway.baseUrl() + "/v1/images/files/");
    Http.Answer image = Http.get(url, null);
    assertThat(image.status()).isEqualTo(200);
    assertThat(TestImages.decode(image.raw().body()).getWidth()).isEqualTo(1024);
  }

  @Test
  void submitMultipartEdit_succeeds() throws Exception {
    String boundary = "jobs-boundary-7";
    ByteArrayOutputStream form = new ByteArrayOutputStream();
    form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nmake it dusk\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"quality\"\r\n\r\nlow\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"in.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    form.writeBytes(TestImages.png(64, 48));
    form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    Http.Answer a = Http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/images/edits")))
        .header("Authorization", "Bearer " + MASTER).header("Prefer", "wait=5, respond-async")
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build());
    assertThat(a.status()).as(new String(a.raw().body())).isEqualTo(202);
    assertThat(a.json().get("endpoint").asText()).isEqualTo("/v1/images/edits");
    JsonNode done = jobs.await(MASTER, a.json().get("id").asText(), 60);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(done.get("result").get("data").get(0).get("b64_json").asText()).isNotEmpty();
  }

  @Test
  void submit_invalidRequest_isRefusedWithTheSynchronousError_andNoJob() {
    String bad = "{\"prompt\":\"x\",\"size\":\"1000x1000\"}";
    Http.Answer async = jobs.submit(MASTER, "/v1/images/generations", bad, null);
    Http.Answer sync = Http.postJson(gateway.url("/v1/images/generations"), MASTER, bad);
    assertThat(sync.status()).isEqualTo(400);
    assertThat(async.status()).isEqualTo(400);
    assertThat(async.json()).isEqualTo(sync.json());
    assertThat(async.header("Location")).isNull();
  }

  @Test
  void submit_streamed_isRefused() {
    Http.Answer a = jobs.submit(MASTER, "/v1/images/generations", BODY.replace("}", ",\"stream\":true}"), null);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().get("code").asText()).isEqualTo("stream_not_async");
  }

  @Test
  void submit_pastTheKeysRateLimit_is429LikeTheSynchronousCall() {
    String key = gateway.gateway().keys().create(new KeySpec("rpm1", null, List.of(), List.of("images"), 1, null,
        null, null, false)).secret();
    assertThat(jobs.submit(key, "/v1/images/generations", BODY, null).status()).isEqualTo(202);
    Http.Answer refused = jobs.submit(key, "/v1/images/generations", BODY, null);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error().get("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(refused.header("Retry-After")).isNotNull();
  }

  @Test
  void submit_pastTheKeysBudget_is429InsufficientQuotaLikeTheSynchronousCall() {
    String key = gateway.gateway().keys().create(new KeySpec("tiny-budget", null, List.of(), List.of("images"), null,
        null, new io.imagegate.auth.Budget(0.0001, io.imagegate.auth.Budget.Period.MONTHLY), null, false)).secret();
    Http.Answer async = jobs.submit(key, "/v1/images/generations", BODY, null);
    Http.Answer sync = Http.postJson(gateway.url("/v1/images/generations"), key, BODY);
    assertThat(sync.status()).isEqualTo(429);
    assertThat(async.status()).isEqualTo(429);
    assertThat(async.error().get("code").asText()).isEqualTo("insufficient_quota");
    assertThat(async.json()).isEqualTo(sync.json());
    assertThat(Http.get(gateway.url("/v1/images/jobs"), key).json().get("data")).isEmpty();
  }

  @Test
  void submit_modelTheKeyMayNotUse_is403() {
    String key = gateway.gateway().keys().create("only-mini", List.of("gpt-image-1-mini"), false).secret();
    Http.Answer async = jobs.submit(key, "/v1/images/generations", BODY, null);
    Http.Answer sync = Http.postJson(gateway.url("/v1/images/generations"), key, BODY);
    assertThat(sync.status()).isEqualTo(403);
    assertThat(async.status()).isEqualTo(403);
    assertThat(async.json()).isEqualTo(sync.json());
  }

  @Test
  void submit_sameIdempotencyKey_getsTheSameJob_andAnotherBodyIs409() throws Exception {
    Http.Answer first = jobs.submit(MASTER, "/v1/images/generations", BODY, "job-order-1");
    Http.Answer again = jobs.submit(MASTER, "/v1/images/generations", BODY, "job-order-1");
    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
    assertThat(again.header("x-imagegate-idempotent-replayed")).isEqualTo("true");
    Http.Answer other = jobs.submit(MASTER, "/v1/images/generations", BODY.replace("lantern", "kite"), "job-order-1");
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.error().get("code").asText()).isEqualTo("idempotency_key_reused");
    String id = first.json().get("id").asText();
    jobs.await(MASTER, id, 60);
    assertThat(JobClient.ledgerRows(jdbc(), id + "%", 200)).isEqualTo(1);
  }

  @Test
  void anotherKey_getsA404_forPollAndCancel_andDoesNotListTheJob() throws Exception {
    String owner = newKey("owner");
    String stranger = newKey("stranger");
    String id = jobs.submitted(owner, BODY);
    Http.Answer poll = jobs.get(stranger, id);
    assertThat(poll.status()).isEqualTo(404);
    assertThat(poll.error().get("code").asText()).isEqualTo("job_not_found");
    assertThat(jobs.cancel(stranger, id).status()).isEqualTo(404);
    assertThat(Http.get(gateway.url("/v1/images/jobs"), stranger).json().get("data")).isEmpty();
    assertThat(jobs.get(MASTER, id).status()).as("an admin key sees every job").isEqualTo(200);
    assertThat(jobs.await(owner, id, 60).get("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void list_pagesTheKeysJobs_newestFirst() throws Exception {
    String key = newKey("pager");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(jobs.submitted(key, BODY.replace("lantern", "lantern " + i)));
    List<String> seen = new ArrayList<>();
    String after = null;
    boolean more = true;
    while (more) {
      Http.Answer page = Http.get(gateway.url("/v1/images/jobs?limit=2" + (after == null ? "" : "&after=" + after)),
          key);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.json().get("data").size()).isLessThanOrEqualTo(2);
      page.json().get("data").forEach(j -> seen.add(j.get("id").asText()));
      more = page.json().get("has_more").asBoolean();
      after = page.json().get("last_id").asText();
    }
    assertThat(seen).containsExactlyElementsOf(ids.reversed());
    assertThat(Http.get(gateway.url("/v1/images/jobs?limit=0"), key).status()).isEqualTo(400);
    for (String id : ids) jobs.await(key, id, 60);
  }

  @Test
  void poll_unknownJob_is404_andCancelOfAFinishedJob_is409() throws Exception {
    assertThat(jobs.get(MASTER, "job_000000000000000000000000").status()).isEqualTo(404);
    String id = jobs.submitted(MASTER, BODY);
    jobs.await(MASTER, id, 60);
    Http.Answer late = jobs.cancel(MASTER, id);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.error().get("code").asText()).isEqualTo("job_finished");
  }
}
