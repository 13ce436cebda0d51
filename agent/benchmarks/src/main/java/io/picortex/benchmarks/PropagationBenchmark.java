package io.picortex.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.picortex.agent.propagation.W3CTraceContextPropagator;
import java.util.HashMap;
import java.util.Map;
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
 * (6) W3C {@code traceparent}/{@code tracestate}: our parser and formatter, and whole extract and
 * inject through our propagator and through the OpenTelemetry API's own W3C propagator.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class PropagationBenchmark {
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };
  private static final TextMapSetter<Map<String, String>> SETTER = Map::put;

  String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  String tracestate = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
  String invalidTraceparent = "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01";

  private final Map<String, String> incoming =
      new HashMap<>(Map.of("traceparent", traceparent, "tracestate", tracestate));
  private final Map<String, String> outgoing = new HashMap<>();
  private final SpanContext spanContext = W3CTraceContextPropagator.parse(traceparent, null);
  private final Context context = Context.root().with(Span.wrap(spanContext));

  private final TextMapPropagator ours = W3CTraceContextPropagator.getInstance();
  private final TextMapPropagator otel =
      io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance();

  @Benchmark
  public SpanContext parse_traceparent() {
    return W3CTraceContextPropagator.parse(traceparent, null);
  }

  @Benchmark
  public SpanContext parse_traceparentAndTracestate() {
    return W3CTraceContextPropagator.parse(traceparent, tracestate);
  }

  @Benchmark
  public SpanContext parse_invalid() {
    return W3CTraceContextPropagator.parse(invalidTraceparent, null);
  }

  @Benchmark
  public String format_traceparent() {
    return W3CTraceContextPropagator.format(spanContext);
  }

  @Benchmark
  public Context extract_ours() {
    return ours.extract(Context.root(), incoming, GETTER);
  }

  @Benchmark
  public Context extract_otelApi() {
    return otel.extract(Context.root(), incoming, GETTER);
  }

  @Benchmark
  public Map<String, String> inject_ours() {
    ours.inject(context, outgoing, SETTER);
    return outgoing;
  }

  @Benchmark
  public Map<String, String> inject_otelApi() {
    otel.inject(context, outgoing, SETTER);
    return outgoing;
  }
}
