package io.picortex.benchmarks;

import io.picortex.agent.handler.HttpServerHandler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (1) One incoming request through {@link HttpServerHandler}: extract {@code traceparent} (and
 * friends) and {@code X-Request-ID}, put the request ID on the response, start the SERVER span with
 * its attributes, make it current, then end it with status 200.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ServerSpanBenchmark {

  /**
   * {@code none}: no trace headers and no request ID (new trace, minted ID); {@code traceparent}:
   * a sampled {@code traceparent} and a valid {@code X-Request-ID}; {@code full}: those plus {@code
   * tracestate} and {@code baggage}.
   */
  @Param({"none", "traceparent", "full"})
  public String incoming;

  private HttpServerHandler handler;
  private FakeServerRequest request;

  @Setup(Level.Trial)
  public void setUp(Pipeline pipeline) {
    handler = pipeline.handlers.httpServer();
    request = new FakeServerRequest("GET", "/api/orders/42", "page=2&size=20", "/api/orders");
    switch (incoming) {
      case "none" -> {}
      case "traceparent" -> request
          .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
          .header("X-Request-ID", Pipeline.INCOMING_REQUEST_ID);
      case "full" -> request
          .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
          .header("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
          .header("baggage", "userId=alice,tenant=acme")
          .header("X-Request-ID", Pipeline.INCOMING_REQUEST_ID);
      default -> throw new IllegalArgumentException(incoming);
    }
  }

  @Benchmark
  public HttpServerHandler.Call serverSpan() {
    HttpServerHandler.Call call = handler.start(request, FakeServerRequest.ADAPTER);
    handler.end(call, 200, null);
    return call;
  }
}
