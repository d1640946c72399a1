package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RequestValidator validator = new RequestValidator();

  private ImageOptions validate(String json) throws Exception {
    ImageRequest request = ImageRequestReader.fromJson(JSON.readTree(json), Operation.GENERATION);
    return validator.validate(request, ModelCatalog.find(request.modelOrDefault()).orElseThrow());
  }

  private ApiException refusal(String json) {
    return (ApiException) org.assertj.core.api.Assertions.catchThrowable(() -> validate(json));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1024x1536", "2880x2880", "3840x2160", "1024x1024", "1536x1024", "2160x3840", "1024x3072"})
  void validate_gptImage2AcceptedSizes_pass(String size) throws Exception {
    ImageOptions o = validate("{\"prompt\":\"x\",\"size\":\"" + size + "\"}");
    assertThat(o.size().toString()).isEqualTo(size);
  }

  @Test
  void validate_gptImage2RejectedSizes_nameTheRule() {
    assertThat(refusal("{\"prompt\":\"x\",\"size\":\"1000x1000\"}").getMessage()).contains("multiples of 16");
    assertThat(refusal("{\"prompt\":\"x\",\"size\":\"4000x800\"}").getMessage()).contains("3840");
    assertThat(refusal("{\"prompt\":\"x\",\"size\":\"3072x976\"}").getMessage()).contains("3:1");
    assertThat(refusal("{\"prompt\":\"x\",\"size\":\"512x512\"}").getMessage()).contains("655360");
    assertThat(refusal("{\"prompt\":\"x\",\"size\":\"big\"}").getMessage()).contains("WIDTHxHEIGHT");
    ApiException e = refusal("{\"prompt\":\"x\",\"size\":\"1000x1000\"}");
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.param()).isEqualTo("size");
    assertThat(e.code()).isEqualTo("invalid_value");
  }

  @Test
  void validate_gptImage1_acceptsOnlyItsThreeSizes() throws Exception {
    assertThat(validate("{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"size\":\"1536x1024\"}").size())
        .isEqualTo(new ImageSize(1536, 1024));
    assertThat(refusal("{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"size\":\"2048x2048\"}").getMessage())
        .contains("1024x1024, 1536x1024, 1024x1536");
  }

  @Test
  void validate_defaults_areApplied() throws Exception {
    ImageOptions o = validate("{\"prompt\":\"a cat\"}");
    assertThat(o.model().id()).isEqualTo("gpt-image-2");
    assertThat(o.n()).isEqualTo(1);
    assertThat(o.autoSize()).isTrue();
    assertThat(o.quality()).isEqualTo(Quality.MEDIUM);
    assertThat(o.background()).isEqualTo(Background.OPAQUE);
    assertThat(o.format()).isEqualTo(OutputFormat.PNG);
    assertThat(o.compression()).isEqualTo(100);
  }

  @Test
  void validate_crossFieldRules_areEnforced() {
    assertThat(refusal("{\"prompt\":\"x\",\"background\":\"transparent\",\"output_format\":\"jpeg\"}").param())
        .isEqualTo("background");
    assertThat(refusal("{\"prompt\":\"x\",\"output_compression\":50}").param()).isEqualTo("output_compression");
    assertThat(refusal("{\"prompt\":\"x\",\"partial_images\":2}").param()).isEqualTo("partial_images");
    ApiException fidelity = refusal("{\"prompt\":\"x\",\"input_fidelity\":\"high\"}");
    assertThat(fidelity.type()).isEqualTo("image_generation_user_error");
    assertThat(fidelity.code()).isEqualTo("invalid_input_fidelity_model");
    assertThat(refusal("{\"prompt\":\"x\",\"n\":11}").param()).isEqualTo("n");
    assertThat(refusal("{\"prompt\":\"x\",\"n\":\"2\"}").getMessage()).contains("expected an integer");
    assertThat(refusal("{\"prompt\":\"\"}").param()).isEqualTo("prompt");
    assertThat(refusal("{\"n\":1}").code()).isEqualTo("missing_required_parameter");
    assertThat(refusal("{\"prompt\":\"" + "a".repeat(32_001) + "\"}").getMessage()).contains("32000");
  }

  @Test
  void validate_gptImage1_acceptsInputFidelity() throws Exception {
    assertThat(validate("{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"input_fidelity\":\"high\"}").inputFidelity())
        .isEqualTo("high");
  }

  @Test
  void read_imageForms_areAllAccepted() throws Exception {
    ImageRequest r = ImageRequestReader.fromJson(JSON.readTree("{\"prompt\":\"x\",\"image\":\"https://a/b.png\","
        + "\"images\":[\"aGVsbG8=\",{\"image_url\":\"data:image/png;base64,aGk=\"}],\"mask\":{\"image_url\":\"x\"},"
        + "\"future_field\":1}"), Operation.EDIT);
    assertThat(r.images()).extracting(ImageRef::reference)
        .containsExactly("https://a/b.png", "aGVsbG8=", "data:image/png;base64,aGk=");
    assertThat(r.images()).extracting(ImageRef::param).containsExactly("image", "images[0]", "images[1]");
    assertThat(r.mask().reference()).isEqualTo("x");
    assertThat(r.extra()).containsKey("future_field");
  }

  @Test
  void read_editWithoutImage_isMissingImage() {
    assertThatThrownBy(() -> validator.validate(ImageRequestReader.fromJson(JSON.readTree("{\"prompt\":\"x\"}"),
        Operation.EDIT), ModelCatalog.find("gpt-image-2").orElseThrow()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("image"));
  }
}
