package io.imagegate.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the config file knows of one provider: the name its deployments give in {@code provider:}, whether
 * they take a base URL and a key, the settings of their own, and what they can do by default. Each provider
 * folder declares its rules beside its adapter; {@link ProviderCatalog} holds them all.
 *
 * @param name the {@code provider:} value
 * @param url how {@code base_url} is read
 * @param key how {@code api_key} is read
 * @param options the deployment settings only this provider has (e.g. Azure's {@code deployment})
 * @param defaults what a deployment can do unless its {@code supports:} says otherwise
 * @param check the provider's own check of a deployment's settings once read (ComfyUI's workflow against its
 *     node map), run while the file is loaded so that its problem names the file, line and field
 */
public record ProviderRules(String name, Url url, Key key, List<Option> options, Capabilities defaults,
    Check check) {

  public ProviderRules {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(key, "key");
    options = List.copyOf(options);
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(check, "check");
  }

  /** Rules with no check of their own beyond the options' shapes. */
  public ProviderRules(String name, Url url, Key key, List<Option> options, Capabilities defaults) {
    this(name, url, key, options, defaults, settings -> null);
  }

  /** A provider's own check of a deployment's settings ({@link DeploymentConfig#options()}). */
  @FunctionalInterface
  public interface Check {
    /** The first problem, or null when the settings hold together. */
    Problem problem(Map<String, String> settings);
  }

  /**
   * What is wrong with a deployment's settings.
   *
   * @param key the setting to point at: an option's key, or a dotted path into a {@link Shape#TREE} option
   *     ({@code nodes.prompt}); the error names its line
   * @param message what is wrong, without the place
   */
  public record Problem(String key, String message) {}

  /** How an option's value is read from the deployment's section. */
  public enum Shape {
    /** A scalar, as text. */
    TEXT,
    /** A positive whole number. */
    COUNT,
    /** A file path, made absolute against the config file's folder. */
    PATH,
    /**
     * A mapping of mappings and scalars, flattened into one setting per scalar under its dotted path
     * ({@code nodes: {prompt: {node: "6"}}} gives {@code nodes.prompt.node = 6}); the option's own key
     * holds nothing. Optional unless its fallback is null.
     */
    TREE
  }

  /**
   * How {@code base_url} is read.
   *
   * @param taken whether the provider has a base URL at all (the local engine has none)
   * @param fallbackEnv the variable read when {@code base_url} is absent, or null
   * @param fallback the URL used when neither is given, or null when {@code base_url} is then required
   * @param suffix the API's own path ({@code /v1}), stripped from a URL that ends with it
   * @param hint what to write when it is missing, e.g. "the resource URL, e.g. https://..."
   */
  public record Url(boolean taken, String fallbackEnv, String fallback, String suffix, String hint) {
    /** No base URL: the provider is in this process. */
    public static Url none() { return new Url(false, null, null, "", null); }

    /** A base URL the deployment must give. */
    public static Url required(String suffix, String hint) { return new Url(true, null, null, suffix, hint); }

    /** A base URL with a fallback variable and a fallback value. */
    public static Url defaulted(String fallbackEnv, String fallback, String suffix) {
      return new Url(true, fallbackEnv, fallback, suffix, null);
    }
  }

  /**
   * How {@code api_key} is read.
   *
   * @param taken whether the provider takes a key at all
   * @param required whether a deployment must give one
   * @param example the variable a config file usually names for it, for the error message
   */
  public record Key(boolean taken, boolean required, String example) {
    public static Key none() { return new Key(false, false, null); }

    public static Key optional() { return new Key(true, false, null); }

    public static Key required(String example) { return new Key(true, true, example); }
  }

  /**
   * A setting of this provider's deployments only.
   *
   * @param key its name in the deployment's section
   * @param fallbackEnv the variable read when it is absent, or null
   * @param fallback the value when neither is given; null makes it required
   * @param hint what it is, for the error message when it is missing
   * @param shape how it is read (checked where the file gives it)
   */
  public record Option(String key, String fallbackEnv, String fallback, String hint, Shape shape) {
    public Option {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(shape, "shape");
    }

    /** A text setting. */
    public Option(String key, String fallbackEnv, String fallback, String hint) {
      this(key, fallbackEnv, fallback, hint, Shape.TEXT);
    }

    /** A positive whole number with a default. */
    public static Option count(String key, int fallback, String hint) {
      return new Option(key, null, String.valueOf(fallback), hint, Shape.COUNT);
    }

    /** A file the deployment must name. */
    public static Option path(String key, String hint) { return new Option(key, null, null, hint, Shape.PATH); }

    /** A nested mapping; {@code required} when the deployment must give it. */
    public static Option tree(String key, boolean required, String hint) {
      return new Option(key, null, required ? null : "", hint, Shape.TREE);
    }

    /** Whether it is a positive whole number. */
    public boolean count() { return shape == Shape.COUNT; }

    public boolean required() { return fallback == null && fallbackEnv == null; }
  }
}
