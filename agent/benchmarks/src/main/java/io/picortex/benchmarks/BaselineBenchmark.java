package io.picortex.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.picortex.agent.handler.SemConv;
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
 * What the same SDK pipeline costs without our handlers: a bare span, a span with the server
 * span's attributes set directly, and making a context current. The handlers' own share is their
 * score minus these.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class BaselineBenchmark {
  private Tracer tracer;
  private Context serverContext;

  @Setup(Level.Trial)
  public void setUp(Pipeline pipeline) {
    tracer = pipeline.tracer;
    serverContext = pipeline.serverContext;
  }

  @Benchmark
  public Span sdkSpan_bare() {
    Span span = tracer.spanBuilder("GET").setSpanKind(SpanKind.SERVER).startSpan();
    span.end();
    return span;
  }

  /** The attributes {@code HttpServerHandler} sets for the benchmark's request, set directly. */
  @Benchmark
  public Span sdkSpan_serverAttributes() {
    Span span =
        tracer
            .spanBuilder("GET /api/orders")
            .setSpanKind(SpanKind.SERVER)
            .setParent(Context.root())
            .setAttribute(SemConv.HTTP_REQUEST_METHOD, "GET")
            .setAttribute(SemConv.REQUEST_ID, Pipeline.INCOMING_REQUEST_ID)
            .setAttribute(SemConv.HTTP_ROUTE, "/api/orders")
            .setAttribute(SemConv.URL_PATH, "/api/orders/42")
            .setAttribute(SemConv.URL_QUERY, "page=2&size=20")
            .setAttribute(SemConv.URL_SCHEME, "http")
            .setAttribute(SemConv.SERVER_ADDRESS, "orders.internal")
            .setAttribute(SemConv.SERVER_PORT, 8080L)
            .setAttribute(SemConv.CLIENT_ADDRESS, "10.1.2.3")
            .setAttribute(SemConv.NETWORK_PROTOCOL_VERSION, "1.1")
            .setAttribute(SemConv.USER_AGENT_ORIGINAL, "Mozilla/5.0")
            .startSpan();
    span.setAttribute(SemConv.HTTP_RESPONSE_STATUS_CODE, 200L);
    span.end();
    return span;
  }

  @Benchmark
  public Context contextMakeCurrentAndClose() {
    try (Scope ignored = serverContext.makeCurrent()) {
      return Context.current();
    }
  }
}
