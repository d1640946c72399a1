package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
  private static final List<String> KEYS = List.of("host", "port", "data_dir", "answer_seconds", "api_key");

  @Test
  void closest_findsTyposAndSpellingVariants() {
    assertThat(Suggest.closest("prot", KEYS)).isEqualTo("port");
    assertThat(Suggest.closest("API-KEY", KEYS)).isEqualTo("api_key");
    assertThat(Suggest.closest("answer_secnds", KEYS)).isEqualTo("answer_seconds");
    assertThat(Suggest.closest("datadir", KEYS)).isEqualTo("data_dir");
  }

  @Test
  void closest_ignoresUnrelatedWords() {
    assertThat(Suggest.closest("colour", KEYS)).isNull();
    assertThat(Suggest.closest("x", KEYS)).isNull();
    assertThat(Suggest.hint("zzzzzz", KEYS)).isEmpty();
  }

  @Test
  void distance_isLevenshtein() {
    assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggest.distance("", "abc")).isEqualTo(3);
    assertThat(Suggest.distance("same", "same")).isZero();
  }
}
