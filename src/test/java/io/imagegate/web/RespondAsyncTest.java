package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which {@code Prefer} headers (RFC 7240) ask for an async job. */
class RespondAsyncTest {

  @Test
  void respondAsync_alone_amongOthers_withParameters_orInASecondHeader() {
    assertThat(ImagesEndpoint.respondAsync(List.of("respond-async"))).isTrue();
    assertThat(ImagesEndpoint.respondAsync(List.of("wait=10, Respond-Async"))).isTrue();
    assertThat(ImagesEndpoint.respondAsync(List.of("respond-async; foo=bar"))).isTrue();
    assertThat(ImagesEndpoint.respondAsync(List.of("return=minimal", "respond-async"))).isTrue();
  }

  @Test
  void otherPreferences_orNone_areASynchronousCall() {
    assertThat(ImagesEndpoint.respondAsync(List.of())).isFalse();
    assertThat(ImagesEndpoint.respondAsync(List.of("return=minimal, wait=5"))).isFalse();
    assertThat(ImagesEndpoint.respondAsync(List.of("respond-asynchronously"))).isFalse();
  }
}
