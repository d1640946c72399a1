package io.imagegate.provider.automatic1111;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ApiException;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageRequestReader;
import io.imagegate.api.ImageSize;
import io.imagegate.api.ModelCatalog;
import io.imagegate.api.Operation;
import io.imagegate.api.RequestValidator;
import io.imagegate.config.Capabilities;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.image.ImageProbe;
import io.imagegate.image.InputImage;
import io.imagegate.provider.ImageJob;
import io.imagegate.testing.ImageInputs;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Automatic1111RequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static DeploymentConfig deployment(Map<String, String> own) {
    Map<String, String> options = new HashMap<>();
    for (var o : Automatic1111Provider.RULES.options()) options.put(o.key(), o.fallback());
    options.putAll(own);
    return new DeploymentConfig("gpu1", "automatic1111", URI.create("http://127.0.0.1:7860"), null, null, options,
        Capabilities.all(), Duration.ofSeconds(5), Duration.ofSeconds(300), 1, 0, 1);
  }

  static ImageJob job(String json, List<InputImage> inputs, InputImage mask) throws Exception {
    var request = ImageRequestReader.fromJson(JSON.readTree(json), inputs.isEmpty() ? Operation.GENERATION : Operation.EDIT);
    ImageOptions options = new RequestValidator().validate(request, ModelCatalog.find("gpt-image-2").orElseThrow());
    return new ImageJob(options, inputs, mask);
  }

  @Test
  void body_txt2img_sizeBatchesStepsThenPassthroughFields() throws Exception {
    ImageJob job = job("{\"prompt\":\"a harbour\",\"n\":4,\"seed\":7,\"negative_prompt\":\"text\"}", List.of(), null);
    JsonNode body = JSON.readTree(Automatic1111Requests.body(job, new ImageSize(832, 1216),
        new Automatic1111Settings.Batches(2, 2), 25, null));
    assertThat(body).isEqualTo(JSON.readTree("{\"prompt\":\"a harbour\",\"width\":832,\"height\":1216,"
        + "\"batch_size\":2,\"n_iter\":2,\"steps\":25,\"seed\":7,\"negative_prompt\":\"text\"}"));
  }

  @Test
  void body_theDeploymentsModelIsTheCheckpoint_aPassedOverrideSettingsMergedOverIt() throws Exception {
    ImageJob pinned = job("{\"prompt\":\"x\"}", List.of(), null);
    assertThat(JSON.readTree(Automatic1111Requests.body(pinned, new ImageSize(512, 512),
        new Automatic1111Settings.Batches(1, 1), 20, "sdxl_base_1.0.safetensors")).get("override_settings"))
        .isEqualTo(JSON.readTree("{\"sd_model_checkpoint\":\"sdxl_base_1.0.safetensors\"}"));
    ImageJob merged = job("{\"prompt\":\"x\",\"override_settings\":{\"CLIP_stop_at_last_layers\":2}}", List.of(), null);
    assertThat(JSON.readTree(Automatic1111Requests.body(merged, new ImageSize(512, 512),
        new Automatic1111Settings.Batches(1, 1), 20, "sdxl_base_1.0.safetensors")).get("override_settings"))
        .isEqualTo(JSON.readTree("{\"sd_model_checkpoint\":\"sdxl_base_1.0.safetensors\",\"CLIP_stop_at_last_layers\":2}"));
  }

  @Test
  void body_img2img_initImageAndMaskAtTheImagesSize() throws Exception {
    byte[] png = TestImages.png(64, 32);
    InputImage image = new InputImage(png, ImageProbe.inspect(png, "image"));
    byte[] maskPng = ImageInputs.mask(32, 16); // half the image's size: scaled up
    InputImage mask = new InputImage(maskPng, ImageProbe.inspect(maskPng, "mask"));
    JsonNode body = JSON.readTree(Automatic1111Requests.body(job("{\"prompt\":\"x\",\"images\":[{\"image_url\":\"https://a.example/b.png\"}]}", List.of(image), mask),
        new ImageSize(1024, 1024), new Automatic1111Settings.Batches(1, 1), 30, null));
    assertThat(java.util.Base64.getDecoder().decode(body.get("init_images").get(0).asText())).isEqualTo(png);
    assertThat(body.get("inpainting_mask_invert").asInt()).isZero();
    BufferedImage m = TestImages.decode(java.util.Base64.getDecoder().decode(body.get("mask").asText()));
    assertThat(m.getWidth()).isEqualTo(64);
    assertThat(m.getHeight()).isEqualTo(32);
    assertThat(m.getRGB(32, 16) & 0xFFFFFF).as("the transparent hole: repaint").isEqualTo(0xFFFFFF);
    assertThat(m.getRGB(16, 8) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(m.getRGB(15, 8) & 0xFFFFFF).as("opaque: keep").isZero();
    assertThat(m.getRGB(0, 0) & 0xFFFFFF).isZero();
    assertThat(m.getRGB(48, 24) & 0xFFFFFF).isZero();
  }

  @Test
  void mask_withoutAlpha_keepsEverything() {
    byte[] jpeg = TestImages.encode(ImageInputs.rgb(TestImages.picture(16, 16)), "jpeg");
    byte[] converted = MaskConversion.toA1111(new InputImage(jpeg, ImageProbe.inspect(jpeg, "mask")), 16, 16);
    BufferedImage m = TestImages.decode(converted);
    for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) assertThat(m.getRGB(x, y) & 0xFFFFFF).isZero();
  }

  @Test
  void settings_sizeLimitsAutoDefault_batchesExact_stepsTable() {
    Automatic1111Settings s = new Automatic1111Settings(deployment(Map.of("max_side", "1536", "size_multiple", "64",
        "default_size", "768x1024", "max_batch", "3", "max_n", "9", "steps_low", "8", "steps_high", "50")));
    assertThat(s.size(null)).isEqualTo(new ImageSize(768, 1024));
    assertThat(s.size(new ImageSize(1536, 640))).isEqualTo(new ImageSize(1536, 640));
    assertThatThrownBy(() -> s.size(new ImageSize(1600, 640))).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.param()).isEqualTo("size")).hasMessageContaining("at most 1536");
    assertThatThrownBy(() -> s.size(new ImageSize(1024, 1000))).hasMessageContaining("multiples of 64");
    assertThat(s.batches(2)).isEqualTo(new Automatic1111Settings.Batches(2, 1));
    assertThat(s.batches(6)).isEqualTo(new Automatic1111Settings.Batches(3, 2));
    assertThat(s.batches(8)).isEqualTo(new Automatic1111Settings.Batches(2, 4));
    assertThat(s.batches(7)).isEqualTo(new Automatic1111Settings.Batches(1, 7));
    assertThatThrownBy(() -> s.batches(10)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.param()).isEqualTo("n"));
    assertThat(s.steps("low")).isEqualTo(8);
    assertThat(s.steps("medium")).isEqualTo(30);
    assertThat(s.steps("high")).isEqualTo(50);
    assertThat(s.steps("auto")).isEqualTo(30);
    assertThat(s.steps(null)).isEqualTo(30);
  }

  @Test
  void settings_badValues_areStartErrorsNamingTheDeployment() {
    assertThatThrownBy(() -> new Automatic1111Settings(deployment(Map.of("default_size", "big"))))
        .hasMessageContaining("gpu1").hasMessageContaining("default_size");
    assertThatThrownBy(() -> new Automatic1111Settings(deployment(Map.of("default_size", "1004x1000"))))
        .hasMessageContaining("multiples of 8");
    assertThatThrownBy(() -> new Automatic1111Settings(deployment(Map.of("passthrough", "seed, wild_field"))))
        .hasMessageContaining("wild_field").hasMessageContaining("wild_field:string");
    assertThatThrownBy(() -> new Automatic1111Settings(deployment(Map.of("passthrough", "width"))))
        .hasMessageContaining("the gateway sets it");
    assertThatThrownBy(() -> new Automatic1111Settings(deployment(Map.of("passthrough", "x:float"))))
        .hasMessageContaining("the type must be");
    assertThatThrownBy(() -> new Automatic1111Endpoints(deployment(Map.of("api_auth", "nopassword"))))
        .hasMessageContaining("user:password");
  }

  @Test
  void passthrough_onlyListedFields_eachOfItsJsonType() throws Exception {
    Passthrough p = Passthrough.parse("seed, cfg_scale, negative_prompt, override_settings, steps, clip_skip:integer,"
        + " my_flag:boolean", "gpu1");
    assertThat(p.check("seed", JSON.readTree("42"))).isNull();
    assertThat(p.check("seed", JSON.readTree("4.2")).param()).isEqualTo("seed");
    assertThat(p.check("cfg_scale", JSON.readTree("6.5"))).isNull();
    assertThat(p.check("cfg_scale", JSON.readTree("\"7\"")).code()).isEqualTo("invalid_value");
    assertThat(p.check("negative_prompt", JSON.readTree("\"blur\""))).isNull();
    assertThat(p.check("override_settings", JSON.readTree("{\"sd_model_checkpoint\":\"x\"}"))).isNull();
    assertThat(p.check("override_settings", JSON.readTree("\"x\""))).isNotNull();
    assertThat(p.check("steps", JSON.readTree("0")).getMessage()).contains("at least 1");
    assertThat(p.check("clip_skip", JSON.readTree("2"))).isNull();
    assertThat(p.check("my_flag", JSON.readTree("true"))).isNull();
    assertThat(p.check("my_flag", JSON.readTree("1"))).isNotNull();
    ApiException unlisted = p.check("sampler_name", JSON.readTree("\"Euler\""));
    assertThat(unlisted.code()).isEqualTo("unknown_parameter");
    assertThat(unlisted.param()).isEqualTo("sampler_name");
  }
}
