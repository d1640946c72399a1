package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
  private static YamlNode.Mapping read(String yaml, Map<String, String> env) throws Exception {
    return YamlReader.read(new StringReader(yaml), "f.yaml", env);
  }

  @Test
  void read_recordsLinesAndPathsOfKeysAndValues() throws Exception {
    YamlNode.Mapping root = read("""
        # comment
        a:

          b: 1
          c:
            - x
            - y
        """, Map.of());

    YamlNode.Entry a = root.entries().get("a");
    assertThat(a.keyLine()).isEqualTo(2);
    YamlNode.Mapping am = (YamlNode.Mapping) a.value();
    assertThat(am.line()).isEqualTo(2);
    YamlNode.Scalar b = (YamlNode.Scalar) am.entries().get("b").value();
    assertThat(b.line()).isEqualTo(4);
    assertThat(b.path()).isEqualTo("a.b");
    YamlNode.Sequence c = (YamlNode.Sequence) am.entries().get("c").value();
    assertThat(c.line()).isEqualTo(5);
    assertThat(c.items().get(1).line()).isEqualTo(7);
    assertThat(c.items().get(1).path()).isEqualTo("a.c[1]");
  }

  @Test
  void read_substitutesEnvironmentInStrings_andKeepsTheRawText() throws Exception {
    YamlNode.Mapping root = read("""
        a: ${HOME_DIR}/x
        b: "${NOPE:-fallback}"
        c: ${EMPTY:-used-when-empty}
        d: cost $$5
        """, Map.of("HOME_DIR", "/home/u", "EMPTY", ""));

    assertThat(scalar(root, "a").value()).isEqualTo("/home/u/x");
    assertThat(scalar(root, "a").raw()).isEqualTo("${HOME_DIR}/x");
    assertThat(scalar(root, "b").value()).isEqualTo("fallback");
    assertThat(scalar(root, "c").value()).isEqualTo("used-when-empty");
    assertThat(scalar(root, "d").value()).isEqualTo("cost $5");
  }

  @Test
  void read_missingEnvironmentVariable_namesItAndTheLine() {
    assertThatThrownBy(() -> read("server:\n  host: a\n  master_key: ${IMAGEGATE_SECRET}\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("f.yaml line 3: server.master_key: environment variable IMAGEGATE_SECRET is not set"
            + " (write ${IMAGEGATE_SECRET:-default} to give a default)");
  }

  @Test
  void read_missingVariableInAList_namesTheItem() {
    assertThatThrownBy(() -> read("a:\n  - ok\n  - ${X}\n", Map.of()))
        .hasMessageStartingWith("f.yaml line 3: a[1]: environment variable X is not set");
  }

  @Test
  void read_duplicateKey_isAnError() {
    assertThatThrownBy(() -> read("a: 1\nb: 2\na: 3\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("f.yaml line 3: a: duplicate key (first on line 1)");
  }

  @Test
  void read_invalidYaml_namesTheLine() {
    assertThatThrownBy(() -> read("a: 1\nb:\n  c: [1, 2\nd: 4\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("f.yaml line 4: not valid YAML: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void read_topNotAMapping_isAnError() {
    assertThatThrownBy(() -> read("- a\n- b\n", Map.of()))
        .hasMessageStartingWith("f.yaml line 1: expected a mapping of keys");
  }

  @Test
  void read_twoDocuments_isAnError() {
    assertThatThrownBy(() -> read("a: 1\n---\nb: 2\n", Map.of()))
        .hasMessage("f.yaml line 3: expected one YAML document, found another");
  }

  @Test
  void read_nullValue_isANullScalarAtTheKeyLine() throws Exception {
    YamlNode.Scalar n = scalar(read("a:\nb: 1\n", Map.of()), "a");

    assertThat(n.isNull()).isTrue();
    assertThat(n.line()).isEqualTo(1);
    assertThat(n.describe()).isEqualTo("nothing");
  }

  private static YamlNode.Scalar scalar(YamlNode.Mapping m, String key) {
    return (YamlNode.Scalar) m.entries().get(key).value();
  }
}
