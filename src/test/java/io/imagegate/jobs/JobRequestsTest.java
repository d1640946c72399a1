package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.imagegate.api.ImageRef;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.Operation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job's request document gives back, field for field, the request that was checked at submit. */
class JobRequestsTest {

  @Test
  void editWithBytesReferencesMaskAndExtras_roundTripsFieldForField() throws Exception {
    Map<String, com.fasterxml.jackson.databind.JsonNode> extra = new LinkedHashMap<>();
    extra.put("zeta", TextNode.valueOf("z"));
    extra.put("alpha", IntNode.valueOf(7));
    ImageRequest edit = new ImageRequest(Operation.EDIT, "gpt-image-1", "make it dusk", 2, "1024x1536", "high",
        "transparent", "webp", 80, "low", false, 0, "high", "url", null, "user-42",
        List.of(ImageRef.ofBytes(new byte[] {1, 2, 3, (byte) 0xff}, "image"),
            ImageRef.ofReference("https://example.com/b.png", "image[1]")),
        ImageRef.ofBytes(new byte[] {9, 8}, "mask"), extra);

    ImageRequest back = JobRequests.read(JobRequests.write(edit));

    assertThat(back).usingRecursiveComparison().isEqualTo(edit);
    assertThat(back.extra().keySet()).containsExactly("zeta", "alpha");
  }

  @Test
  void generationWithEveryOptionalFieldLeftOut_keepsThemNull() throws Exception {
    ImageRequest bare = new ImageRequest(Operation.GENERATION, null, "a cat", null, null, null, null, null, null,
        null, null, null, null, null, null, null, List.of(), null, Map.of());

    ImageRequest back = JobRequests.read(JobRequests.write(bare));

    assertThat(back).usingRecursiveComparison().isEqualTo(bare);
    assertThat(back.modelOrDefault()).isEqualTo(ImageRequest.DEFAULT_MODEL);
  }
}
