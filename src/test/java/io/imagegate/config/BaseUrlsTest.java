package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BaseUrlsTest {
  @Test
  void parse_dropsTrailingSlashAndV1() {
    assertThat(BaseUrls.parse("https://api.openai.com/v1/", ProviderKind.OPENAI)).isEqualTo(URI.create("https://api.openai.com"));
    assertThat(BaseUrls.parse("http://h:8080/proxy/v1", ProviderKind.OPENAI_COMPATIBLE))
        .isEqualTo(URI.create("http://h:8080/proxy"));
    assertThat(BaseUrls.parse("HTTPS://h//", ProviderKind.OPENAI)).isEqualTo(URI.create("https://h"));
    assertThat(BaseUrls.parse("https://h/v10", ProviderKind.OPENAI)).isEqualTo(URI.create("https://h/v10"));
  }

  @Test
  void parse_azureDropsTrailingOpenAiSegment() {
    assertThat(BaseUrls.parse("https://r.openai.azure.com/openai/", ProviderKind.AZURE))
        .isEqualTo(URI.create("https://r.openai.azure.com"));
  }

  @Test
  void parse_rejectsNonHttpAndIncompleteUrls() {
    assertThat(BaseUrls.parse("ftp://h", ProviderKind.OPENAI)).isNull();
    assertThat(BaseUrls.parse("h:80", ProviderKind.OPENAI)).isNull();
    assertThat(BaseUrls.parse("https://h/#x", ProviderKind.OPENAI)).isNull();
    assertThat(BaseUrls.parse("https:// bad", ProviderKind.OPENAI)).isNull();
  }
}
