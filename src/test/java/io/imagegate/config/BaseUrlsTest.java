package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BaseUrlsTest {
  @Test
  void parse_dropsTrailingSlashAndV1() {
    assertThat(BaseUrls.parse("https://api.openai.com/v1/", "/v1")).isEqualTo(URI.create("https://api.openai.com"));
    assertThat(BaseUrls.parse("http://h:8080/proxy/v1", "/v1"))
        .isEqualTo(URI.create("http://h:8080/proxy"));
    assertThat(BaseUrls.parse("HTTPS://h//", "/v1")).isEqualTo(URI.create("https://h"));
    assertThat(BaseUrls.parse("https://h/v10", "/v1")).isEqualTo(URI.create("https://h/v10"));
  }

  @Test
  void parse_azureDropsTrailingOpenAiSegment() {
    assertThat(BaseUrls.parse("https://r.openai.azure.com/openai/", "/openai"))
        .isEqualTo(URI.create("https://r.openai.azure.com"));
  }

  @Test
  void parse_rejectsNonHttpAndIncompleteUrls() {
    assertThat(BaseUrls.parse("ftp://h", "/v1")).isNull();
    assertThat(BaseUrls.parse("h:80", "/v1")).isNull();
    assertThat(BaseUrls.parse("https://h/#x", "/v1")).isNull();
    assertThat(BaseUrls.parse("https:// bad", "/v1")).isNull();
  }
}
