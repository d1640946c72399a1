package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PricingTest {
  private static final double EPS = 1e-12;

  @Test
  void gptImage2_billsEachKindAtItsOwnRate() {
    Pricing p = Pricing.defaults();
    // 5 / 8 / 30 USD per 1M tokens
    assertThat(p.cost("gpt-image-2", new Usage(1_000_000, 0, 0), 1)).isCloseTo(5.0, within(EPS));
    assertThat(p.cost("gpt-image-2", new Usage(0, 1_000_000, 0), 1)).isCloseTo(8.0, within(EPS));
    assertThat(p.cost("gpt-image-2", new Usage(0, 0, 1_000_000), 1)).isCloseTo(30.0, within(EPS));
    // 1024² high: 7024 output tokens; 11 prompt tokens; one 1024² input image ≈ 1024 tokens
    assertThat(p.cost("gpt-image-2", new Usage(11, 1024, 7024), 1))
        .isCloseTo((11 * 5 + 1024 * 8 + 7024 * 30) / 1e6, within(EPS))
        .isCloseTo(0.218967, within(EPS));
  }

  @Test
  void gptImage1_billsEachKindAtItsOwnRate() {
    Pricing p = Pricing.defaults();
    // 5 / 10 / 40 USD per 1M tokens
    assertThat(p.cost("gpt-image-1", new Usage(1_000_000, 0, 0), 1)).isCloseTo(5.0, within(EPS));
    assertThat(p.cost("gpt-image-1", new Usage(0, 1_000_000, 0), 1)).isCloseTo(10.0, within(EPS));
    assertThat(p.cost("gpt-image-1", new Usage(0, 0, 1_000_000), 1)).isCloseTo(40.0, within(EPS));
    assertThat(p.cost("gpt-image-1", new Usage(100, 323, 4160), 1)).isCloseTo(0.170130, within(EPS));
  }

  @Test
  void otherCatalogModels_haveTheirSpecPrices() {
    assertThat(Pricing.defaults().rates("gpt-image-1-mini")).contains(new Pricing.Rates(2, 2.5, 8));
    assertThat(Pricing.defaults().rates("gpt-image-1.5")).contains(new Pricing.Rates(5, 8, 32));
  }

  @Test
  void override_replacesOnlyThatModel_andLeavesTheOriginalAlone() {
    Pricing defaults = Pricing.defaults();
    Pricing custom = defaults.withOverride("gpt-image-2", 1, 2, 3);
    assertThat(custom.cost("gpt-image-2", new Usage(1_000_000, 1_000_000, 1_000_000), 1)).isCloseTo(6.0, within(EPS));
    assertThat(custom.cost("gpt-image-1", new Usage(0, 0, 1_000_000), 1)).isCloseTo(40.0, within(EPS));
    assertThat(defaults.cost("gpt-image-2", new Usage(0, 0, 1_000_000), 1)).isCloseTo(30.0, within(EPS));
  }

  @Test
  void override_canPriceAModelTheCatalogDoesNotKnow() {
    Pricing p = Pricing.defaults();
    assertThat(p.rates("my-sdxl")).isEmpty();
    assertThat(p.cost("my-sdxl", new Usage(10, 10, 10), 1)).isZero();
    assertThat(p.withOverride("my-sdxl", 0, 0, 2).cost("my-sdxl", new Usage(10, 10, 500_000), 1)).isCloseTo(1.0, within(EPS));
  }

  @Test
  void override_refusesNegativeOrNonFinitePrices() {
    assertThatThrownBy(() -> Pricing.defaults().withOverride("gpt-image-2", -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pricing.defaults().withOverride("gpt-image-2", 0, Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cost_perImageRate_isAddedForEachImageAnswered() {
    Pricing p = Pricing.defaults().withOverride("seedream", new Pricing.Rates(0, 0, 0, 0.03));
    assertThat(p.cost("seedream", new Usage(0, 0, 16_384), 3)).isCloseTo(0.09, within(EPS));
    assertThat(p.cost("seedream", new Usage(0, 0, 16_384), 0)).isZero();
    Pricing both = Pricing.defaults().withOverride("both", new Pricing.Rates(0, 0, 10, 0.5));
    assertThat(both.cost("both", new Usage(0, 0, 100_000), 2)).isCloseTo(1.0 + 1.0, within(EPS));
    assertThatThrownBy(() -> new Pricing.Rates(0, 0, 0, -0.01)).isInstanceOf(IllegalArgumentException.class);
  }
}
