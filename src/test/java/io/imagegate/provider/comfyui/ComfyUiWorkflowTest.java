package io.imagegate.provider.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.imagegate.config.ConfigException;
import io.imagegate.config.ConfigLoader;
import io.imagegate.config.GatewayConfig;
import io.imagegate.provider.ProviderRegistry;
import io.imagegate.provider.comfyui.ComfyUiNodeMap.Slot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node map's checks against a workflow, and values filled into a copy of its graph. */
class ComfyUiWorkflowTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path resource(String name) {
    try {
      return Path.of(ComfyUiWorkflowTest.class.getResource("/comfyui/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> settings(String... pairs) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("workflow", resource("txt2img.json").toString());
    s.put("nodes.prompt.node", "6");
    s.put("nodes.prompt.input", "text");
    s.put("nodes.output.node", "9");
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) s.remove(pairs[i]); else s.put(pairs[i], pairs[i + 1]);
    }
    return s;
  }

  static ComfyUiWorkflow.Invalid invalid(Map<String, String> settings) {
    try {
      ComfyUiWorkflow.load(settings);
    } catch (ComfyUiWorkflow.Invalid e) {
      return e;
    }
    throw new AssertionError("the workflow loaded: " + settings);
  }

  @Test
  void nodeMapNamingANodeTheWorkflowLacks_namesTheFileTheNodeAndTheSlot() {
    ComfyUiWorkflow.Invalid e = invalid(settings("nodes.seed.node", "33", "nodes.seed.input", "seed"));
    assertThat(e.key()).isEqualTo("nodes.seed");
    assertThat(e.getMessage()).isEqualTo("the workflow " + resource("txt2img.json") + " has no node \"33\"");
  }

  @Test
  void nodeMapNamingAnInputTheNodeLacks_namesTheNodeItsClassAndTheInput() {
    ComfyUiWorkflow.Invalid e = invalid(settings("nodes.steps.node", "3", "nodes.steps.input", "step"));
    assertThat(e.key()).isEqualTo("nodes.steps");
    assertThat(e.getMessage()).isEqualTo("node \"3\" (KSampler) of the workflow " + resource("txt2img.json")
        + " has no input 'step'");
  }

  @Test
  void inputHoldingALink_cannotBeFilledIn() {
    ComfyUiWorkflow.Invalid e = invalid(settings("nodes.width.node", "3", "nodes.width.input", "model",
        "nodes.height.node", "5", "nodes.height.input", "height"));
    assertThat(e.key()).isEqualTo("nodes.width");
    assertThat(e.getMessage()).contains("input 'model' of node \"3\" (KSampler)").contains("is a link");
  }

  @Test
  void nodeMapShapes_areChecked() {
    assertThat(invalid(settings("nodes.prompt.node", null, "nodes.prompt.input", null)).getMessage())
        .isEqualTo("missing prompt: the node map needs prompt and output");
    assertThat(invalid(settings("nodes.output.node", null)).getMessage())
        .isEqualTo("missing output: the node map needs prompt and output");
    ComfyUiWorkflow.Invalid unknown = invalid(settings("nodes.cfg.node", "3"));
    assertThat(unknown.key()).isEqualTo("nodes.cfg");
    assertThat(unknown.getMessage()).startsWith("unknown slot 'cfg'; the slots are prompt, negative_prompt, width");
    assertThat(invalid(settings("nodes.seed.node", "3")).getMessage())
        .isEqualTo("missing input: (the name of the node's input)");
    assertThat(invalid(settings("nodes.width.node", "5", "nodes.width.input", "width")).getMessage())
        .isEqualTo("width and height go together: map both or neither");
    assertThat(invalid(settings("nodes.output.input", "images")).getMessage())
        .isEqualTo("output takes only node: (its images are the result)");
  }

  @Test
  void fileThatIsNotApiFormat_orNotThere_isRefused(@TempDir Path dir) throws Exception {
    Path ui = Files.writeString(dir.resolve("ui.json"), "{\"last_node_id\": 9, \"nodes\": [{\"id\": 3}]}");
    ComfyUiWorkflow.Invalid e = invalid(settings("workflow", ui.toString()));
    assertThat(e.key()).isEqualTo("workflow");
    assertThat(e.getMessage()).startsWith("the workflow " + ui + " is not in API format")
        .contains("Save (API)").contains("node \"last_node_id\"");
    Path list = Files.writeString(dir.resolve("list.json"), "[1, 2]");
    assertThat(invalid(settings("workflow", list.toString())).getMessage()).contains("is not in API format");
    ComfyUiWorkflow.Invalid missing = invalid(settings("workflow", dir.resolve("nope.json").toString()));
    assertThat(missing.getMessage()).startsWith("cannot read the workflow " + dir.resolve("nope.json"));
  }

  @Test
  void fill_setsEachMappedInputInACopyAndLeavesTheLoadedGraphAlone() throws Exception {
    ComfyUiWorkflow w = ComfyUiWorkflow.load(settings("nodes.negative_prompt.node", "7",
        "nodes.negative_prompt.input", "text", "nodes.width.node", "5", "nodes.width.input", "width",
        "nodes.height.node", "5", "nodes.height.input", "height", "nodes.seed.node", "3", "nodes.seed.input", "seed",
        "nodes.steps.node", "3", "nodes.steps.input", "steps", "nodes.batch_size.node", "5",
        "nodes.batch_size.input", "batch_size"));
    Map<Slot, JsonNode> values = new EnumMap<>(Slot.class);
    values.put(Slot.PROMPT, TextNode.valueOf("a red \"fox\""));
    values.put(Slot.NEGATIVE_PROMPT, TextNode.valueOf("blurry"));
    values.put(Slot.WIDTH, IntNode.valueOf(768));
    values.put(Slot.HEIGHT, IntNode.valueOf(512));
    values.put(Slot.SEED, LongNode.valueOf(42));
    values.put(Slot.STEPS, IntNode.valueOf(30));
    values.put(Slot.BATCH_SIZE, IntNode.valueOf(2));
    values.put(Slot.IMAGE, TextNode.valueOf("not mapped: skipped"));

    JsonNode filled = w.fill(values);

    JsonNode expected = JSON.readTree(Files.readAllBytes(resource("txt2img.json")));
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("6").get("inputs")).put("text", "a red \"fox\"");
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("7").get("inputs")).put("text", "blurry");
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("5").get("inputs")).put("width", 768)
        .put("height", 512).put("batch_size", 2);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("3").get("inputs")).put("seed", 42L)
        .put("steps", 30);
    assertThat(filled).isEqualTo(expected);
    assertThat(filled.get("3").get("inputs").get("model").toString()).isEqualTo("[\"4\",0]");
    assertThat(w.value(Slot.STEPS).asInt()).as("the loaded graph is unchanged").isEqualTo(20);
    assertThat(w.fill(Map.of()).get("6").get("inputs").get("text").asText()).isEqualTo("a bottle of wine");
    assertThat(w.outputNode()).isEqualTo("9");
  }

  @Test
  void configFile_resolvesTheWorkflowBesideItAndFlattensTheNodeMap(@TempDir Path dir) throws Exception {
    Files.copy(resource("txt2img.json"), dir.resolve("sd15.json"));
    Path yaml = Files.writeString(dir.resolve("imagegate.yaml"), """
        deployments:
          comfy:
            provider: comfyui
            base_url: http://127.0.0.1:8188
            workflow: sd15.json
            nodes:
              prompt: {node: "6", input: text}
              output: {node: 9}
            quality_steps: {low: 8, high: 40}
        routes:
          sd15: {deployments: [comfy], rules: gpt-image-2}
        """);

    GatewayConfig config = ConfigLoader.load(yaml, Map.of(), ProviderRegistry.CATALOG);

    var d = config.deployments().get("comfy");
    assertThat(d.option("workflow")).isEqualTo(dir.resolve("sd15.json").toAbsolutePath().toString());
    assertThat(d.option("nodes.prompt.node")).isEqualTo("6");
    assertThat(d.option("nodes.prompt.input")).isEqualTo("text");
    assertThat(d.option("nodes.output.node")).isEqualTo("9");
    assertThat(d.option("quality_steps.high")).isEqualTo("40");
    assertThat(d.option("max_batch")).isEqualTo("4");
    assertThat(d.option("nodes")).isNull();
  }

  @Test
  void configFile_withAWorkflowThatDoesNotFitItsMap_failsNamingFileLineAndField(@TempDir Path dir) throws Exception {
    Files.copy(resource("txt2img.json"), dir.resolve("sd15.json"));
    String yaml = """
        deployments:
          comfy:
            provider: comfyui
            base_url: http://127.0.0.1:8188
            workflow: sd15.json
            nodes:
              prompt: {node: "6", input: text}
              seed: {node: "12", input: seed}
              output: {node: "9"}
            %s
        routes:
          sd15: {deployments: [comfy], rules: gpt-image-2}
        """;
    Path bad = Files.writeString(dir.resolve("bad.yaml"), yaml.formatted(""));
    assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of(), ProviderRegistry.CATALOG))
        .isInstanceOf(ConfigException.class)
        .hasMessage(bad + " line 8: deployments.comfy.nodes.seed: the workflow "
            + dir.resolve("sd15.json").toAbsolutePath() + " has no node \"12\"");
    Path steps = Files.writeString(dir.resolve("steps.yaml"),
        yaml.replace("seed: {node: \"12\", input: seed}", "seed: {node: \"3\", input: seed}")
            .formatted("quality_steps: {low: many}"));
    assertThatThrownBy(() -> ConfigLoader.load(steps, Map.of(), ProviderRegistry.CATALOG))
        .hasMessage(steps + " line 10: deployments.comfy.quality_steps.low: expected a whole number of steps from 1"
            + " to 9999, got 'many'");
    Path noMap = Files.writeString(dir.resolve("nomap.yaml"), """
        deployments:
          comfy: {provider: comfyui, base_url: "http://127.0.0.1:8188", workflow: sd15.json}
        routes:
          sd15: {deployments: [comfy], rules: gpt-image-2}
        """);
    assertThatThrownBy(() -> ConfigLoader.load(noMap, Map.of(), ProviderRegistry.CATALOG))
        .hasMessageStartingWith(noMap + " line 2: deployments.comfy.nodes: missing: provider comfyui needs a node map");
  }
}
