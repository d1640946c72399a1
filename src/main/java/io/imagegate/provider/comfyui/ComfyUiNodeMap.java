package io.imagegate.provider.comfyui;

import io.imagegate.config.ProviderRules;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The deployment's {@code nodes:} map: for each {@link Slot} a request fills, the workflow node and input
 * that take it ({@code prompt: {node: "6", input: text}}), and the node whose images are the result
 * ({@code output: {node: "9"}}). {@code prompt} and {@code output} are required; {@code width} and
 * {@code height} come together.
 *
 * @param targets where each mapped slot goes; {@link Slot#OUTPUT}'s input is null
 */
record ComfyUiNodeMap(Map<Slot, Target> targets) {
  static final String KEY = "nodes";

  /** What a request fills in, by its name under {@code nodes:}. */
  enum Slot {
    PROMPT, NEGATIVE_PROMPT, WIDTH, HEIGHT, SEED, STEPS, BATCH_SIZE, IMAGE, MASK, OUTPUT;

    String key() { return name().toLowerCase(Locale.ROOT); }

    /** The setting's dotted path, for errors: {@code nodes.prompt}. */
    String path() { return KEY + "." + key(); }
  }

  /** A node id and one of its inputs. */
  record Target(String node, String input) {}

  ComfyUiNodeMap {
    targets = Map.copyOf(targets);
  }

  boolean has(Slot slot) { return targets.containsKey(slot); }

  Target target(Slot slot) { return targets.get(slot); }

  /**
   * The map the flattened {@code nodes.*} settings describe.
   *
   * @throws ComfyUiWorkflow.Invalid naming the setting at fault
   */
  static ComfyUiNodeMap read(Map<String, String> settings) {
    Map<Slot, String> nodes = new EnumMap<>(Slot.class);
    Map<Slot, String> inputs = new EnumMap<>(Slot.class);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (!e.getKey().startsWith(KEY + ".")) continue;
      String[] parts = e.getKey().split("\\.");
      Slot slot = slot(parts[1]);
      if (slot == null) {
        throw new ComfyUiWorkflow.Invalid(KEY + "." + parts[1], "unknown slot '" + parts[1] + "'; the slots are "
            + String.join(", ", Arrays.stream(Slot.values()).map(Slot::key).toList()));
      }
      String field = parts.length == 3 ? parts[2] : "";
      switch (field) {
        case "node" -> nodes.put(slot, e.getValue());
        case "input" -> {
          if (slot == Slot.OUTPUT) throw new ComfyUiWorkflow.Invalid(slot.path(), "output takes only node: (its images are the result)");
          inputs.put(slot, e.getValue());
        }
        default -> throw new ComfyUiWorkflow.Invalid(slot.path(), "expected {node: <id>, input: <name>}");
      }
    }
    Map<Slot, Target> targets = new EnumMap<>(Slot.class);
    for (Slot slot : Slot.values()) {
      String node = nodes.get(slot);
      String input = inputs.get(slot);
      if (node == null && input == null) continue;
      if (node == null) throw new ComfyUiWorkflow.Invalid(slot.path(), "missing node: (the workflow node's id)");
      if (input == null && slot != Slot.OUTPUT) {
        throw new ComfyUiWorkflow.Invalid(slot.path(), "missing input: (the name of the node's input)");
      }
      targets.put(slot, new Target(node, input));
    }
    for (Slot required : new Slot[] {Slot.PROMPT, Slot.OUTPUT}) {
      if (!targets.containsKey(required)) {
        throw new ComfyUiWorkflow.Invalid(KEY, "missing " + required.key() + ": the node map needs prompt and output");
      }
    }
    if (targets.containsKey(Slot.WIDTH) != targets.containsKey(Slot.HEIGHT)) {
      throw new ComfyUiWorkflow.Invalid(KEY, "width and height go together: map both or neither");
    }
    return new ComfyUiNodeMap(targets);
  }

  private static Slot slot(String key) {
    for (Slot s : Slot.values()) if (s.key().equals(key)) return s;
    return null;
  }

  /** The check run while the config file is read. */
  static ProviderRules.Problem problem(Map<String, String> settings) {
    try {
      ComfyUiWorkflow.load(settings);
      return null;
    } catch (ComfyUiWorkflow.Invalid e) {
      return new ProviderRules.Problem(e.key(), e.getMessage());
    }
  }
}
