package io.imagegate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchInputTest {
  private static final String GEN = "/v1/images/generations";

  private static ArrayNode validate(String text, int[] total) throws IOException {
    return BatchInput.validate(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), GEN, total);
  }

  @Test
  void goodLines_noErrors_blankLinesSkippedButCounted() throws Exception {
    int[] total = {0};
    String text = BatchClient.line("a", "x", "1024x1024") + "\n\n" + BatchClient.line("b", "y", "1024x1024") + "\n";
    assertThat(validate(text, total)).isNull();
    assertThat(total[0]).isEqualTo(2);
    List<Integer> numbers = new ArrayList<>();
    BatchInput.forEach(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), l -> numbers.add(l.number()));
    assertThat(numbers).containsExactly(1, 3);
  }

  @Test
  void eachKindOfBadLine_reportedWithItsLineAndParam() throws Exception {
    String text = String.join("\n", "[1,2]", "{\"method\":\"POST\",\"url\":\"" + GEN + "\",\"body\":{}}",
        "{\"custom_id\":\"a\",\"method\":\"GET\",\"url\":\"" + GEN + "\",\"body\":{}}",
        "{\"custom_id\":\"b\",\"method\":\"POST\",\"url\":\"" + GEN + "\",\"body\":\"x\"}");
    ArrayNode errors = validate(text, new int[1]);
    assertThat(errors).hasSize(4);
    JsonNode e0 = errors.get(0);
    assertThat(e0.get("code").asText()).isEqualTo("invalid_json_line");
    assertThat(e0.get("line").asInt()).isEqualTo(1);
    assertThat(errors.get(1).get("param").asText()).isEqualTo("custom_id");
    assertThat(errors.get(2).get("code").asText()).isEqualTo("invalid_method");
    assertThat(errors.get(3).get("param").asText()).isEqualTo("body");
  }

  @Test
  void emptyFile_isAnError() throws Exception {
    ArrayNode errors = validate("\n \n", new int[1]);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("code").asText()).isEqualTo("empty_file");
    assertThat(errors.get(0).get("line").isNull()).isTrue();
  }
}
