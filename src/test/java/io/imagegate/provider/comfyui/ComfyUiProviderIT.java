package io.imagegate.provider.comfyui;

import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.ImageInputs.dataUrl;
import static io.imagegate.testing.ImageInputs.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.config.ConfigException;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code comfyui} provider over real HTTP against scripted fakes of ComfyUI's API: the uploads (bytes,
 * the mask's pixels), the graph queued at {@code /prompt} with the request's values filled in, the history
 * polled until it ends, the {@code /view} download, the client's answer and ledger row; the interrupt of a
 * prompt whose client hung up, a workflow that does not fit its map, and the fallback from a dead box.
 */
class ComfyUiProviderIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FakeComfyUi box = new FakeComfyUi(), paint = new FakeComfyUi(), second = new FakeComfyUi();
  private static final int DEAD_PORT = freePort();
  private static final String TXT2IMG = ComfyUiWorkflowTest.resource("txt2img.json").toString();
  private static final String INPAINT = ComfyUiWorkflowTest.resource("inpaint.json").toString();
  private static final String TXT2IMG_NODES = "{prompt: {node: \"6\", input: text}, negative_prompt: {node: \"7\","
      + " input: text}, width: {node: \"5\", input: width}, height: {node: \"5\", input: height}, seed: {node: \"3\","
      + " input: seed}, steps: {node: \"3\", input: steps}, batch_size: {node: \"5\", input: batch_size},"
      + " output: {node: \"9\"}}";

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        comfy: {provider: comfyui, base_url: "%1$s", workflow: "%4$s", nodes: %6$s,
          quality_steps: {low: 8}, max_side: 1024, poll_interval_ms: 20}
        paint: {provider: comfyui, base_url: "%2$s", workflow: "%5$s", poll_interval_ms: 20,
          nodes: {prompt: {node: "6", input: text}, image: {node: "10", input: image},
            mask: {node: "10", input: image}, output: {node: "9"}}}
        dead: {provider: comfyui, base_url: "http://127.0.0.1:%7$d", workflow: "%4$s", nodes: %6$s, priority: 0}
        alive: {provider: comfyui, base_url: "%3$s", workflow: "%4$s", nodes: %6$s, priority: 1, poll_interval_ms: 20}
      routes:
        sd15: {deployments: [comfy], rules: gpt-image-2}
        sd15-paint: {deployments: [paint], rules: gpt-image-1}
        sd15-fallback: {deployments: [dead, alive], rules: gpt-image-2}
      prices:
        gpt-image-2: {per_image: 0.002}
      retry: {max_attempts: 2, base_delay_ms: 10, max_delay_ms: 100, total_deadline_seconds: 30}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(box.baseUrl(), paint.baseUrl(), second.baseUrl(), TXT2IMG, INPAINT, TXT2IMG_NODES, DEAD_PORT));

  @BeforeEach
  void reset() {
    box.reset();
    paint.reset();
    second.reset();
  }

  @AfterAll
  static void close() {
    box.close();
    paint.close();
    second.close();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String history(String id, String node, String filename) {
    return "{\"" + id + "\":{\"prompt\":[1,\"" + id + "\",{},{},[\"9\"]],\"outputs\":{\"" + node + "\":{\"images\":"
        + "[{\"filename\":\"" + filename + "\",\"subfolder\":\"\",\"type\":\"output\"}]}},"
        + "\"status\":{\"status_str\":\"success\",\"completed\":true,\"messages\":[]}}}";
  }

  static ObjectNode workflow(String file) throws Exception {
    return (ObjectNode) JSON.readTree(Files.readAllBytes(java.nio.file.Path.of(file)));
  }

  static ObjectNode inputs(ObjectNode graph, String node) { return (ObjectNode) graph.get(node).get("inputs"); }

  @Test
  void generate_queuesTheFilledInGraphPollsTheHistoryAndAnswersTheViewedFile() throws Exception {
    byte[] drawn = TestImages.png(1024, 640);
    box.on("POST /prompt", FakeComfyUi.json(200, "{\"prompt_id\":\"p1\",\"number\":3,\"node_errors\":{}}"))
        .on("GET /history", FakeComfyUi.json(200, "{}"), FakeComfyUi.json(200, "{}"),
            FakeComfyUi.json(200, history("p1", "9", "ComfyUI_00001_.png")))
        .on("GET /view", FakeComfyUi.file(drawn));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sd15\",\"prompt\":\"a harbour at"
        + " night\",\"size\":\"1024x640\",\"quality\":\"low\",\"seed\":42,\"negative_prompt\":\"blurry\"}");

    assertOk(answer);
    RecordedRequest prompt = box.take();
    assertThat(prompt.getMethod() + " " + prompt.getPath()).isEqualTo("POST /prompt");
    JsonNode body = JSON.readTree(prompt.getBody().readUtf8());
    ObjectNode expected = workflow(TXT2IMG);
    inputs(expected, "6").put("text", "a harbour at night");
    inputs(expected, "7").put("text", "blurry");
    inputs(expected, "5").put("width", 1024).put("height", 640).put("batch_size", 1);
    inputs(expected, "3").put("seed", 42L).put("steps", 8);
    assertThat(body.get("prompt").toString()).as("the exact graph").isEqualTo(expected.toString());
    assertThat(body.get("client_id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(body.size()).isEqualTo(2);
    for (int i = 0; i < 3; i++) assertThat(box.take().getPath()).isEqualTo("/history/p1");
    assertThat(box.take().getPath()).isEqualTo("/view?filename=ComfyUI_00001_.png&subfolder=&type=output");

    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.json().get("size").asText()).isEqualTo("1024x640");
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("comfyui");
    JsonNode row = ledgerRow("sd15");
    assertThat(row.get("images").asLong()).isEqualTo(1);
    assertThat(row.get("cost_usd").asDouble()).as("per_image of the route's rules: no tokens").isCloseTo(0.002, within(1e-9));
  }

  @Test
  void generate_withoutSeed_sendsARandomSeedEachTime() throws Exception {
    box.on("POST /prompt", FakeComfyUi.json(200, "{\"prompt_id\":\"s1\",\"number\":1,\"node_errors\":{}}"),
        FakeComfyUi.json(200, "{\"prompt_id\":\"s2\",\"number\":2,\"node_errors\":{}}"))
        .on("GET /history", FakeComfyUi.json(200, history("s1", "9", "a.png")), FakeComfyUi.json(200,
            history("s2", "9", "b.png")))
        .on("GET /view", FakeComfyUi.file(TestImages.png(64, 64)));
    List<Long> seeds = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      assertOk(GATEWAY.post("/v1/images/generations", "{\"model\":\"sd15\",\"prompt\":\"x\"}"));
      List<RecordedRequest> rest = new ArrayList<>();
      RecordedRequest prompt = box.take();
      JsonNode graph = JSON.readTree(prompt.getBody().readUtf8()).get("prompt");
      seeds.add(graph.get("3").get("inputs").get("seed").asLong());
      assertThat(graph.get("5").get("inputs").get("width").asInt()).as("auto keeps the workflow's").isEqualTo(512);
      assertThat(graph.get("3").get("inputs").get("steps").asInt()).as("auto keeps the workflow's").isEqualTo(20);
      box.skipPolls(rest);
    }
    assertThat(seeds.get(0)).isNotEqualTo(seeds.get(1)).isNotEqualTo(156680208700286L);
  }

  @Test
  void edit_uploadsTheImageAndTheMaskOntoItAndFillsTheMaskedFileIntoLoadImage() throws Exception {
    byte[] image = TestImages.png(64, 48);
    byte[] drawn = TestImages.png(64, 48);
    paint.on("POST /upload/image", FakeComfyUi.json(200, "{\"name\":\"up.png\",\"subfolder\":\"\",\"type\":\"input\"}"))
        .on("POST /upload/mask", FakeComfyUi.json(200,
            "{\"name\":\"up-mask.png\",\"subfolder\":\"clipspace\",\"type\":\"input\"}"))
        .on("POST /prompt", FakeComfyUi.json(200, "{\"prompt_id\":\"e1\",\"number\":1,\"node_errors\":{}}"))
        .on("GET /history", FakeComfyUi.json(200, "{}"), FakeComfyUi.json(200, history("e1", "9", "inpaint_1.png")))
        .on("GET /view", FakeComfyUi.file(drawn));

    Http.Answer answer = GATEWAY.post("/v1/images/edits", "{\"model\":\"sd15-paint\",\"prompt\":\"a red door\","
        + "\"images\":[{\"image_url\":\"" + dataUrl(image, "image/png") + "\"}],\"mask\":{\"image_url\":\""
        + dataUrl(mask(64, 48), "image/png") + "\"}}");

    assertOk(answer);
    RecordedRequest upload = paint.take();
    assertThat(upload.getPath()).isEqualTo("/upload/image");
    Multipart form = Multipart.parse(upload.getHeader("Content-Type"), upload.getBody().readByteArray());
    assertThat(form.named("image").get(0).data()).isEqualTo(image);
    assertThat(form.named("image").get(0).filename()).matches("imagegate-[0-9a-f-]{36}\\.png");
    assertThat(form.text("type")).isEqualTo("input");
    assertThat(form.text("overwrite")).isEqualTo("true");

    RecordedRequest maskUpload = paint.take();
    assertThat(maskUpload.getPath()).isEqualTo("/upload/mask");
    Multipart maskForm = Multipart.parse(maskUpload.getHeader("Content-Type"), maskUpload.getBody().readByteArray());
    assertThat(JSON.readTree(maskForm.text("original_ref")))
        .isEqualTo(JSON.readTree("{\"filename\":\"up.png\",\"subfolder\":\"\",\"type\":\"input\"}"));
    BufferedImage sent = TestImages.decode(maskForm.named("image").get(0).data());
    BufferedImage given = TestImages.decode(mask(64, 48));
    assertThat(sent.getColorModel().hasAlpha()).isTrue();
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        assertThat(sent.getRGB(x, y) >>> 24).as("alpha at %d,%d", x, y).isEqualTo(given.getRGB(x, y) >>> 24);
      }
    }
    assertThat(sent.getRGB(32, 24) >>> 24).as("the transparent square: the area to repaint").isZero();
    assertThat(sent.getRGB(1, 1) >>> 24).isEqualTo(255);

    JsonNode graph = JSON.readTree(paint.take().getBody().readUtf8()).get("prompt");
    ObjectNode expected = workflow(INPAINT);
    inputs(expected, "6").put("text", "a red door");
    inputs(expected, "10").put("image", "clipspace/up-mask.png");
    assertThat(graph.toString()).as("the exact graph").isEqualTo(expected.toString());
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
  }

  @Test
  void clientHangsUpWhileTheGpuDraws_theRunningPromptIsInterrupted() throws Exception {
    box.on("GET /queue", FakeComfyUi.json(200, "{\"queue_running\":[[7,\"p-hang\",{},{},[\"9\"]]],"
            + "\"queue_pending\":[[8,\"someone-else\",{},{},[\"9\"]]]}"))
        .on("POST /interrupt", FakeComfyUi.json(200, "{}"));
    RecordedRequest cancel = hangUpWhilePolling();
    assertThat(FakeComfyUi.route(cancel)).isEqualTo("POST /interrupt");
    assertThat(JSON.readTree(cancel.getBody().readUtf8())).isEqualTo(JSON.readTree("{\"prompt_id\":\"p-hang\"}"));
  }

  @Test
  void clientHangsUpWhileThePromptWaitsInTheQueue_itIsDeletedAndNothingInterrupted() throws Exception {
    box.on("GET /queue", FakeComfyUi.json(200, "{\"queue_running\":[[6,\"someone-else\",{},{},[\"9\"]]],"
            + "\"queue_pending\":[[7,\"p-hang\",{},{},[\"9\"]]]}"))
        .on("POST /queue", FakeComfyUi.json(200, "{}"));
    RecordedRequest cancel = hangUpWhilePolling();
    assertThat(FakeComfyUi.route(cancel)).isEqualTo("POST /queue");
    assertThat(JSON.readTree(cancel.getBody().readUtf8())).isEqualTo(JSON.readTree("{\"delete\":[\"p-hang\"]}"));
    Thread.sleep(200);
    assertThat(box.calls()).as("no interrupt: the running prompt is someone else's").isZero();
  }

  /** Sends a generation, hangs up once its prompt is polled; returns the call after GET /queue. */
  private static RecordedRequest hangUpWhilePolling() throws Exception {
    box.on("POST /prompt", FakeComfyUi.json(200, "{\"prompt_id\":\"p-hang\",\"number\":7,\"node_errors\":{}}"))
        .on("GET /history", FakeComfyUi.json(200, "{}"));
    byte[] json = "{\"model\":\"sd15\",\"prompt\":\"a slow cat\"}".getBytes(StandardCharsets.UTF_8);
    try (Socket client = new Socket("127.0.0.1", GATEWAY.gateway().gateway().port())) {
      OutputStream out = client.getOutputStream();
      out.write(("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + RunningGateway.MASTER_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(json);
      out.flush();
      assertThat(box.take().getPath()).isEqualTo("/prompt");
      assertThat(box.take().getPath()).isEqualTo("/history/p-hang");
    }
    List<RecordedRequest> after = new ArrayList<>();
    box.skipPolls(after);
    assertThat(FakeComfyUi.route(after.get(0))).isEqualTo("GET /queue");
    return box.take();
  }

  @Test
  void deadBox_fallsBackToTheNextOne() {
    byte[] drawn = TestImages.png(64, 64);
    second.on("POST /prompt", FakeComfyUi.json(200, "{\"prompt_id\":\"f1\",\"number\":1,\"node_errors\":{}}"))
        .on("GET /history", FakeComfyUi.json(200, history("f1", "9", "f.png")))
        .on("GET /view", FakeComfyUi.file(drawn));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sd15-fallback\",\"prompt\":\"x\"}");

    assertOk(answer);
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    assertThat(answer.header("x-imagegate-attempts")).startsWith("dead:").endsWith("alive:200");
  }

  @Test
  void workflowTheServerRejects_isAnUpstreamErrorUnlessItIsAboutThePrompt() {
    box.on("POST /prompt", FakeComfyUi.json(400, "{\"error\":{\"type\":\"prompt_outputs_failed_validation\","
        + "\"message\":\"Prompt outputs failed validation\",\"details\":\"\",\"extra_info\":{}},\"node_errors\":{\"4\":"
        + "{\"errors\":[{\"type\":\"value_not_in_list\",\"message\":\"Value not in list\",\"details\":\"ckpt_name:"
        + " 'v1-5-pruned-emaonly.safetensors' not in []\"}],\"dependent_outputs\":[\"9\"],\"class_type\":"
        + "\"CheckpointLoaderSimple\"}}}"));
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sd15\",\"prompt\":\"x\"}");
    assertThat(answer.status()).as(answer.json().toString()).isGreaterThanOrEqualTo(500);
    assertThat(answer.error().get("message").asText()).contains("node \"4\" (CheckpointLoaderSimple)")
        .contains("Value not in list");

    box.reset();
    box.on("POST /prompt", FakeComfyUi.json(400, "{\"error\":{\"type\":\"prompt_outputs_failed_validation\","
        + "\"message\":\"Prompt outputs failed validation\"},\"node_errors\":{\"6\":{\"errors\":[{\"message\":"
        + "\"Prompt too long\"}],\"class_type\":\"CLIPTextEncode\"}}}"));
    Http.Answer client = GATEWAY.post("/v1/images/generations", "{\"model\":\"sd15\",\"prompt\":\"x\"}");
    assertThat(client.status()).isEqualTo(400);
    assertThat(client.error().get("param").asText()).isEqualTo("prompt");
    assertThat(client.error().get("message").asText()).contains("Prompt too long");
  }

  @Test
  void executionErrorInTheHistory_isAnUpstreamError() {
    box.on("POST /prompt", FakeComfyUi.json(200, "{\"prompt_id\":\"x1\",\"number\":1,\"node_errors\":{}}"))
        .on("GET /history", FakeComfyUi.json(200, "{\"x1\":{\"outputs\":{},\"status\":{\"status_str\":\"error\","
            + "\"completed\":false,\"messages\":[[\"execution_start\",{}],[\"execution_error\",{\"node_id\":\"3\","
            + "\"node_type\":\"KSampler\",\"exception_type\":\"torch.OutOfMemoryError\",\"exception_message\":"
            + "\"CUDA out of memory\"}]]}}}"));
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sd15\",\"prompt\":\"x\"}");
    assertThat(answer.status()).as(answer.json().toString()).isGreaterThanOrEqualTo(500);
    assertThat(answer.error().get("message").asText()).contains("node \"3\" (KSampler)")
        .contains("CUDA out of memory");
  }

  @Test
  void requestsTheWorkflowCannotTake_areRefusedBeforeAnyCall() {
    assertRefused("\"size\":\"1536x1024\"", "size", "at most 1024");
    assertRefused("\"n\":5", "n", "At most 4");
    Http.Answer quality = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"sd15-paint\",\"prompt\":\"x\",\"quality\":\"high\"}");
    assertThat(quality.status()).isEqualTo(400);
    assertThat(quality.error().get("message").asText()).contains("its workflow has no steps input");
    assertThat(paint.calls()).isZero();
    assertRefused("\"background\":\"transparent\"", "background", "transparent");
    assertRefused("\"seed\":-1", "seed", "whole number");
    assertRefused("\"cfg\":7", "cfg", "cfg");
    Http.Answer mask = GATEWAY.post("/v1/images/edits", "{\"model\":\"sd15\",\"prompt\":\"x\",\"images\":[{\"image_url\":\""
        + dataUrl(TestImages.png(64, 64), "image/png") + "\"}]}");
    assertThat(mask.status()).isEqualTo(400);
    assertThat(mask.error().get("message").asText()).contains("draws from text alone");
    assertThat(box.calls()).isZero();
  }

  @Test
  void workflowThatDoesNotFitItsNodeMap_stopsTheStartNamingFileAndNode() {
    String yaml = """
        deployments:
          comfy: {provider: comfyui, base_url: "http://127.0.0.1:8188", workflow: "%s",
            nodes: {prompt: {node: "6", input: prompt}, output: {node: "9"}}}
        routes:
          sd15: {deployments: [comfy], rules: gpt-image-2}
        """.formatted(TXT2IMG);
    assertThatThrownBy(() -> GatewayYaml.start(yaml).close()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 3: deployments.comfy.nodes.prompt: node \"6\" (CLIPTextEncode) of the workflow "
            + TXT2IMG + " has no input 'prompt'");
  }

  private static void assertRefused(String fields, String param, String says) {
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sd15\",\"prompt\":\"x\"," + fields + "}");
    assertThat(answer.status()).as(answer.json().toString()).isEqualTo(400);
    assertThat(answer.error().get("param").asText()).isEqualTo(param);
    assertThat(answer.error().get("message").asText()).contains(says);
  }

  static JsonNode ledgerRow(String route) {
    JsonNode usage = Http.get(GATEWAY.url("/admin/usage?group_by=model"), RunningGateway.MASTER_KEY).json();
    for (JsonNode r : usage.get("data")) if (r.get("group").asText().equals(route)) return r;
    throw new AssertionError("no ledger row for " + route + ": " + usage);
  }
}
