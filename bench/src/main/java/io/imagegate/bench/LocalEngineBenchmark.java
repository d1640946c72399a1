package io.imagegate.bench;

import io.imagegate.api.Background;
import io.imagegate.api.OutputFormat;
import io.imagegate.api.Quality;
import io.imagegate.provider.local.LocalEngine;
import io.imagegate.provider.local.LocalRenderRequest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to draw and encode one PNG with the local engine, for a typical prompt, per size and quality.
 * The targets are under 50 ms at 1024x1024 and under 500 ms at 3840x2160 on 2 cores.
 *
 * <p>Run from the repository root, with {@code JAVA_HOME} set to a JDK 21 or newer:
 *
 * <pre>
 * ./mvnw -q -DskipTests install &amp;&amp; ./mvnw -q -f bench/pom.xml package &amp;&amp; java -jar bench/target/benchmarks.jar LocalEngineBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class LocalEngineBenchmark {
  static final String PROMPT = "A white cat running under the stars, cyberpunk style";

  @Param({"1024x1024", "3840x2160"})
  public String size;

  @Param({"low", "medium", "high"})
  public String quality;

  private final LocalEngine engine = new LocalEngine();
  private LocalRenderRequest request;

  @Setup
  public void setup() {
    String[] wh = size.split("x");
    request = new LocalRenderRequest(PROMPT, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]),
        Quality.valueOf(quality.toUpperCase(Locale.ROOT)), Background.OPAQUE, OutputFormat.PNG, 100, List.of(), null);
  }

  @Benchmark
  public byte[] renderPng() {
    return engine.render(request, 0);
  }
}
