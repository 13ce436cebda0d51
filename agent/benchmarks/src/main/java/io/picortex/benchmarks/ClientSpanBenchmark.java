package io.picortex.benchmarks;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.picortex.agent.handler.HttpClientHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (2) One outgoing request through {@link HttpClientHandler}: CLIENT span, {@code url.full}
 * redaction, {@code traceparent} (and request ID) header injection, end with 200.
 *
 * <p>{@code insideServerSpan} makes a server span with a request ID current around the call, as an
 * application does while it handles a request; that costs one {@code makeCurrent}/{@code close},
 * measured alone by {@link BaselineBenchmark#contextMakeCurrentAndClose}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ClientSpanBenchmark {
  private HttpClientHandler handler;
  private Context serverContext;
  private FakeClientRequest request;

  @Setup(Level.Trial)
  public void setUp(Pipeline pipeline) {
    handler = pipeline.handlers.httpClient();
    serverContext = pipeline.serverContext;
    request =
        new FakeClientRequest(
            "GET", URI.create("http://inventory.internal:8081/api/stock/42?warehouse=east"));
  }

  @Benchmark
  public HttpClientHandler.Call outsideServerSpan() {
    HttpClientHandler.Call call = handler.start(request.reset(), FakeClientRequest.ADAPTER);
    handler.end(call, 200, null);
    return call;
  }

  @Benchmark
  public HttpClientHandler.Call insideServerSpan() {
    try (Scope ignored = serverContext.makeCurrent()) {
      HttpClientHandler.Call call = handler.start(request.reset(), FakeClientRequest.ADAPTER);
      handler.end(call, 200, null);
      return call;
    }
  }
}
