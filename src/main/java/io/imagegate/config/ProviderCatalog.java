package io.imagegate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rules of every provider a gateway can serve, by {@code provider:} name, in the order given. */
public final class ProviderCatalog {
  private final Map<String, ProviderRules> rules = new LinkedHashMap<>();

  public ProviderCatalog(List<ProviderRules> all) {
    for (ProviderRules r : all) {
      if (rules.putIfAbsent(r.name(), r) != null) throw new IllegalArgumentException("two providers named " + r.name());
    }
  }

  public Optional<ProviderRules> find(String name) { return Optional.ofNullable(rules.get(name)); }

  /** The rules of a provider this gateway is known to ship (the environment's defaults name them). */
  ProviderRules get(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException("no provider named " + name));
  }

  /** Every provider name, in order (for error messages). */
  public List<String> names() { return List.copyOf(rules.keySet()); }

  /** Every provider-specific setting name, in order, once each. */
  List<String> optionKeys() {
    List<String> keys = new ArrayList<>();
    for (ProviderRules r : rules.values()) {
      for (ProviderRules.Option o : r.options()) if (!keys.contains(o.key())) keys.add(o.key());
    }
    return keys;
  }

  /** The providers that have a setting named {@code key}. */
  List<String> owners(String key) {
    return rules.values().stream().filter(r -> r.options().stream().anyMatch(o -> o.key().equals(key)))
        .map(ProviderRules::name).toList();
  }
}
