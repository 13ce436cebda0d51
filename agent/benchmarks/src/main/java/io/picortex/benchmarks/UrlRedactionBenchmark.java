package io.picortex.benchmarks;

import io.picortex.agent.http.UrlRedaction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link UrlRedaction}, which every server span ({@code url.query}) and client span ({@code
 * url.full}) runs: clean input (the common case, returned as is) and input with a secret.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class UrlRedactionBenchmark {
  String query = "page=2&size=20";
  String url = "http://inventory.internal:8081/api/stock/42?warehouse=east";
  String urlWithSecret = "https://api.example.com/v1/items?access_token=eyJhbGciOi&page=2";

  @Benchmark
  public String redactQuery_clean() {
    return UrlRedaction.redactQuery(query);
  }

  @Benchmark
  public String redactUrl_clean() {
    return UrlRedaction.redactUrl(url);
  }

  @Benchmark
  public String redactUrl_secret() {
    return UrlRedaction.redactUrl(urlWithSecret);
  }
}
