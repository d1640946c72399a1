package io.imagegate.provider.automatic1111;

import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.ImageInputs.dataUrl;
import static io.imagegate.testing.ImageInputs.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code automatic1111} provider over real HTTP against a scripted WebUI on loopback: the exact
 * {@code txt2img}/{@code img2img} bodies it receives (size, batches, steps table, passthrough fields,
 * {@code init_images}, the converted mask's pixels, Basic auth), the refusals made before any call, error
 * mapping, and the fallback from a dead box.
 */
class Automatic1111ProviderIT {
  static final String AUTH = "artist:s3cret-passw0rd";
  static final FakeAutomatic1111 BOX = new FakeAutomatic1111();
  static final FakeAutomatic1111 SPARE = new FakeAutomatic1111();
  static final int DEAD_PORT = freePort();

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        box:
          provider: automatic1111
          base_url: "%1$s"
          api_auth: "%2$s"
          passthrough: "negative_prompt, seed, cfg_scale, sampler_name, steps, override_settings, clip_skip:integer"
          max_batch: 2
          steps_low: 12
          steps_high: 44
          progress_interval_ms: 20
        pinned: {provider: automatic1111, base_url: "%1$s", model: sdxl_base_1.0, passthrough: "override_settings", max_batch: 2, steps_low: 12}
        small: {provider: automatic1111, base_url: "%1$s/sdapi/v1", max_side: 1024, size_multiple: 64, max_n: 2}
        dead: {provider: automatic1111, base_url: "http://127.0.0.1:%3$d", priority: 0}
        spare: {provider: automatic1111, base_url: "%4$s", priority: 1}
      routes:
        sdxl: {deployments: [box], rules: gpt-image-2}
        sdxl-ledger: {deployments: [pinned], rules: gpt-image-2}
        sdxl-small: {deployments: [small], rules: gpt-image-2}
        sdxl-fallback: {deployments: [dead, spare], rules: gpt-image-2}
      retry: {max_attempts: 2, base_delay_ms: 10, max_delay_ms: 100, total_deadline_seconds: 60}
      circuit_breaker: {failure_threshold: 1000}
      prices:
        sdxl_base_1.0: {text_in: 0, image_in: 0, image_out: 0, per_image: 0.002}
      """.formatted(BOX.baseUrl(), AUTH, DEAD_PORT, SPARE.baseUrl()));

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @BeforeEach
  void clean() {
    BOX.reset();
    SPARE.reset();
  }

  @Test
  void generate_txt2img_sendsSizeBatchesStepsAndPassthroughWithBasicAuth_dropsTheGrid() throws Exception {
    byte[] grid = TestImages.png(64, 48);
    byte[][] drawn = {TestImages.noisePng(1024, 768, 1, BufferedImage.TYPE_INT_RGB),
        TestImages.noisePng(1024, 768, 2, BufferedImage.TYPE_INT_RGB), TestImages.png(1024, 768),
        TestImages.noisePng(1024, 768, 3, BufferedImage.TYPE_INT_RGB)};
    BOX.answer(FakeAutomatic1111.drawn(grid, drawn[0], drawn[1], drawn[2], drawn[3]));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sdxl\",\"prompt\":\"a lighthouse\","
        + "\"size\":\"1024x768\",\"n\":4,\"quality\":\"low\",\"negative_prompt\":\"blurry\",\"seed\":42,"
        + "\"cfg_scale\":6.5,\"override_settings\":{\"sd_model_checkpoint\":\"sdxl_base_1.0\"},\"clip_skip\":2}");

    assertOk(answer);
    FakeAutomatic1111.Call call = BOX.takeDrawing();
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo("/sdapi/v1/txt2img");
    assertThat(call.authorization()).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString(AUTH.getBytes(StandardCharsets.UTF_8)));
    assertThat(call.json()).isEqualTo(Http.json("{\"prompt\":\"a lighthouse\",\"width\":1024,\"height\":768,"
        + "\"batch_size\":2,\"n_iter\":2,\"steps\":12,\"negative_prompt\":\"blurry\",\"seed\":42,\"cfg_scale\":6.5,"
        + "\"override_settings\":{\"sd_model_checkpoint\":\"sdxl_base_1.0\"},\"clip_skip\":2}"));
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("automatic1111");
    assertThat(answer.header("x-imagegate-deployment")).isEqualTo("box");
    assertThat(answer.json().get("data")).hasSize(4);
    for (int i = 0; i < 4; i++) assertThat(b64(answer.json(), i)).as("image %d, the grid dropped", i).isEqualTo(drawn[i]);
    assertThat(answer.json().get("size").asText()).isEqualTo("1024x768");
    assertThat(answer.json().get("output_format").asText()).isEqualTo("png");
    assertThat(answer.json().get("usage").get("total_tokens").asInt()).isZero();
  }

  @Test
  void generate_deploymentModel_isTheCheckpointSentInOverrideSettings_andPricesEachImage() throws Exception {
    byte[] png = TestImages.png(1024, 1024);
    BOX.answer(FakeAutomatic1111.drawn(png, png, png, png));
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sdxl-ledger\",\"prompt\":\"x\","
        + "\"n\":4,\"quality\":\"low\",\"override_settings\":{\"CLIP_stop_at_last_layers\":2}}");
    assertOk(answer);
    assertThat(BOX.takeDrawing().json().get("override_settings")).isEqualTo(Http.json(
        "{\"sd_model_checkpoint\":\"sdxl_base_1.0\",\"CLIP_stop_at_last_layers\":2}"));
    JsonNode row = null;
    for (JsonNode r : Http.get(GATEWAY.url("/admin/usage?group_by=model"), RunningGateway.MASTER_KEY).json().get("data")) {
      if (r.get("group").asText().equals("sdxl-ledger")) row = r;
    }
    assertThat(row).as("the ledger row of the route").isNotNull();
    assertThat(row.get("images").asLong()).isEqualTo(4);
    assertThat(row.get("cost_usd").asDouble()).as("4 images at prices.sdxl_base_1.0.per_image 0.002")
        .isCloseTo(0.008, within(1e-9));
  }

  @Test
  void generate_autoSizeNoQualityOddN_defaultSizeAutoStepsOneImageBatches_passedStepsWin_jpegTranscoded()
      throws Exception {
    byte[] png = TestImages.png(1024, 1024);
    BOX.answer(FakeAutomatic1111.drawn(png, png, png, png), FakeAutomatic1111.drawn(png));

    Http.Answer three = GATEWAY.post("/v1/images/generations",
        "{\"model\":\"sdxl\",\"prompt\":\"fog\",\"n\":3,\"output_format\":\"jpeg\"}");
    assertOk(three);
    JsonNode sent = BOX.takeDrawing().json();
    assertThat(sent.get("width").asInt()).isEqualTo(1024);
    assertThat(sent.get("height").asInt()).isEqualTo(1024);
    assertThat(sent.get("batch_size").asInt()).as("3 with a cap of 2: three batches of one").isEqualTo(1);
    assertThat(sent.get("n_iter").asInt()).isEqualTo(3);
    assertThat(sent.get("steps").asInt()).as("steps_auto default").isEqualTo(30);
    byte[] first = b64(three.json(), 0);
    assertThat(first[0] & 0xff).as("JPEG magic").isEqualTo(0xFF);
    assertThat(first[1] & 0xff).isEqualTo(0xD8);

    assertOk(GATEWAY.post("/v1/images/generations",
        "{\"model\":\"sdxl\",\"prompt\":\"fog\",\"quality\":\"high\",\"steps\":7}"));
    assertThat(BOX.takeDrawing().json().get("steps").asInt()).as("a passed steps wins over the table").isEqualTo(7);
  }

  @Test
  void edit_img2img_sendsInitImageAndTheMaskAsWhiteRepaintOnBlack() throws Exception {
    byte[] image = TestImages.png(512, 384);
    BOX.answer(FakeAutomatic1111.drawn(TestImages.png(1024, 768)));

    Http.Answer answer = GATEWAY.post("/v1/images/edits", "{\"model\":\"sdxl\",\"prompt\":\"a red door\","
        + "\"size\":\"1024x768\",\"quality\":\"high\",\"images\":[{\"image_url\":\"" + dataUrl(image, "image/png")
        + "\"}],\"mask\":{\"image_url\":\"" + dataUrl(mask(512, 384), "image/png") + "\"}}");

    assertOk(answer);
    FakeAutomatic1111.Call call = BOX.takeDrawing();
    assertThat(call.path()).isEqualTo("/sdapi/v1/img2img");
    JsonNode body = call.json();
    assertThat(body.get("steps").asInt()).isEqualTo(44);
    assertThat(body.get("width").asInt()).isEqualTo(1024);
    assertThat(body.get("inpainting_mask_invert").asInt()).isZero();
    assertThat(body.get("init_images")).hasSize(1);
    assertThat(Base64.getDecoder().decode(body.get("init_images").get(0).asText())).isEqualTo(image);
    BufferedImage converted = TestImages.decode(Base64.getDecoder().decode(body.get("mask").asText()));
    assertThat(converted.getWidth()).isEqualTo(512);
    assertThat(converted.getHeight()).isEqualTo(384);
    // ImageInputs.mask: opaque black with a transparent square from (w/4, h/4) to (3w/4, 3h/4) to edit
    assertThat(converted.getRGB(256, 192) & 0xFFFFFF).as("inside the hole: repaint").isEqualTo(0xFFFFFF);
    assertThat(converted.getRGB(128, 96) & 0xFFFFFF).as("the hole's first pixel").isEqualTo(0xFFFFFF);
    assertThat(converted.getRGB(127, 96) & 0xFFFFFF).as("just left of it: keep").isZero();
    assertThat(converted.getRGB(5, 5) & 0xFFFFFF).as("the corner: keep").isZero();
    assertThat(converted.getRGB(383, 287) & 0xFFFFFF).as("the hole's last pixel").isEqualTo(0xFFFFFF);
    assertThat(converted.getRGB(384, 288) & 0xFFFFFF).isZero();
    assertThat(converted.getColorModel().hasAlpha()).isFalse();
  }

  @Test
  void refusals_beforeAnyCall_sizeOffTheLimits_unlistedOrMistypedFields_nOverTheCap() {
    assertThat(assertError(gen("sdxl-small", "\"size\":\"1536x1024\""), 400, "invalid_request_error", "invalid_value"))
        .contains("1536x1024").contains("at most 1024");
    assertThat(GATEWAY.post("/v1/images/generations", "{\"model\":\"sdxl-small\",\"prompt\":\"x\",\"size\":\"1024x784\"}")
        .error().get("message").asText()).contains("multiples of 64");
    Http.Answer unlisted = gen("sdxl-small", "\"sampler_name\":\"Euler a\"");
    assertError(unlisted, 400, "invalid_request_error", "unknown_parameter");
    assertThat(unlisted.error().get("param").asText()).isEqualTo("sampler_name");
    Http.Answer notListedAnywhere = gen("sdxl", "\"hr_scale\":2");
    assertError(notListedAnywhere, 400, "invalid_request_error", "unknown_parameter");
    Http.Answer mistyped = gen("sdxl", "\"seed\":\"forty-two\"");
    assertError(mistyped, 400, "invalid_request_error", "invalid_value");
    assertThat(mistyped.error().get("param").asText()).isEqualTo("seed");
    assertThat(assertError(gen("sdxl-small", "\"n\":3"), 400, "invalid_request_error", "invalid_value"))
        .contains("at most 2");
    assertThat(gen("sdxl", "\"background\":\"transparent\"").error().get("param").asText()).isEqualTo("background");
    assertThat(BOX.drawingsReceived()).as("nothing reached the box").isZero();
  }

  @Test
  void errors_422IsTheClientsAnswer_oomIsRetriedThenA502() {
    BOX.answer(FakeAutomatic1111.json(422, "{\"error\":\"HTTPException\",\"detail\":\"Sampler not found: Eul\","
        + "\"body\":\"\",\"errors\":\"\"}"));
    Http.Answer refused = gen("sdxl", "\"sampler_name\":\"Eul\"");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.error().get("message").asText()).contains("Sampler not found: Eul");

    BOX.reset();
    String oom = "{\"error\":\"OutOfMemoryError\",\"detail\":\"\",\"body\":\"\",\"errors\":\"CUDA out of memory. "
        + "Tried to allocate 2.00 GiB\"}";
    BOX.answer(FakeAutomatic1111.json(500, oom), FakeAutomatic1111.json(500, oom));
    Http.Answer failed = gen("sdxl", "\"quality\":\"low\"");
    assertError(failed, 502, "upstream_error", "upstream_error");
    assertThat(failed.header("x-imagegate-attempts")).isEqualTo("box:500,box:500");
  }

  @Test
  void generate_deadBox_fallsBackToTheSecondBox() throws Exception {
    SPARE.answer(FakeAutomatic1111.drawn(TestImages.png(1024, 1024)));
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sdxl-fallback\",\"prompt\":\"x\"}");
    assertOk(answer);
    assertThat(answer.header("x-imagegate-deployment")).isEqualTo("spare");
    assertThat(answer.header("x-imagegate-attempts")).startsWith("dead:").endsWith(",spare:200");
    assertThat(SPARE.takeDrawing().authorization()).as("no api_auth, no header").isNull();
  }

  private static Http.Answer gen(String model, String extra) {
    return GATEWAY.post("/v1/images/generations", "{\"model\":\"" + model + "\",\"prompt\":\"x\"," + extra + "}");
  }
}
