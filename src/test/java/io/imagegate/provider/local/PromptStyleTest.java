package io.imagegate.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.provider.local.PromptStyle.Art;
import io.imagegate.provider.local.PromptStyle.Setting;
import io.imagegate.provider.local.PromptStyle.Subject;
import io.imagegate.provider.local.PromptStyle.Time;
import org.junit.jupiter.api.Test;

class PromptStyleTest {
  @Test
  void parse_readsSubjectColourTimeAndStyle() {
    PromptStyle s = PromptStyle.parse("A white cat running under the stars, cyberpunk style");
    assertThat(s.subject).isEqualTo(Subject.CAT);
    assertThat(s.subjectColour).isEqualTo(Words.COLOURS.get("white"));
    assertThat(s.accents).isEmpty();
    assertThat(s.time).isEqualTo(Time.NIGHT);
    assertThat(s.art).isEqualTo(Art.CYBERPUNK);
    assertThat(s.moving).isTrue();
    assertThat(s.stars).isTrue();
  }

  @Test
  void parse_readsWeatherSettingAndTwoWordStyles() {
    PromptStyle s = PromptStyle.parse("Pixel art castles on snowy mountains at sunset, foggy");
    assertThat(s.art).isEqualTo(Art.PIXEL);
    assertThat(s.subject).isEqualTo(Subject.CASTLE);
    assertThat(s.settings).contains(Setting.MOUNTAIN);
    assertThat(s.time).isEqualTo(Time.SUNSET);
    assertThat(s.snow).isTrue();
    assertThat(s.fog).isTrue();
    assertThat(PromptStyle.parse("a black and white photo of a dog").art).isEqualTo(Art.MONO);
    assertThat(PromptStyle.parse("an 8-bit hero").art).isEqualTo(Art.PIXEL);
  }

  @Test
  void parse_colourNotBeforeTheSubject_tintsTheScene() {
    PromptStyle s = PromptStyle.parse("a house under a red sky with blue hills");
    assertThat(s.subjectColour).isEqualTo(-1);
    assertThat(s.accents).containsExactly(Words.COLOURS.get("red"), Words.COLOURS.get("blue"));
  }

  @Test
  void parse_emptyOrUnknownPrompt_stillPicksASceneFromItsHash() {
    PromptStyle a = PromptStyle.parse("");
    assertThat(a.settings).isNotEmpty();
    assertThat(a.subject).isNotEqualTo(Subject.NONE);
    assertThat(PromptStyle.parse("qwerty").hash).isNotEqualTo(PromptStyle.parse("qwertz").hash);
  }

  @Test
  void parse_onlyASetting_drawsALandscapeWithoutSubject() {
    PromptStyle s = PromptStyle.parse("mountains at dawn");
    assertThat(s.subject).isEqualTo(Subject.NONE);
    assertThat(s.time).isEqualTo(Time.SUNRISE);
    assertThat(s.timeGiven).isTrue();
  }
}
