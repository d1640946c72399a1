package io.imagegate.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What kind of upstream a deployment is; {@link #wire()} is how the config file spells it. */
public enum ProviderKind {
  /** api.openai.com or a base URL that speaks the same API with a Bearer key. */
  OPENAI("openai"),
  /** Azure OpenAI: {@code /openai/deployments/<deployment>/images/...?api-version=}, header {@code api-key}. */
  AZURE("azure"),
  /** Any server that speaks the OpenAI images API (LocalAI, another gateway); the key is optional. */
  OPENAI_COMPATIBLE("openai-compatible"),
  /** The built-in local engine: no network, no key. */
  LOCAL("local");

  private final String wire;

  ProviderKind(String wire) { this.wire = wire; }

  /** The name in the config file's {@code provider:} field. */
  public String wire() { return wire; }

  /** The kind a config file names, if any. */
  static Optional<ProviderKind> fromWire(String name) {
    return Arrays.stream(values()).filter(k -> k.wire.equals(name)).findFirst();
  }

  /** Every wire name, in declaration order (for error messages). */
  static List<String> wireNames() { return Arrays.stream(values()).map(ProviderKind::wire).toList(); }
}
