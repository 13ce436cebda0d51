package io.picortex.benchmarks;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.picortex.agent.handler.Handlers;
import io.picortex.agent.handler.RequestIds;
import io.picortex.agent.handler.Tracing;
import io.picortex.agent.ids.UlidIdGenerator;
import io.picortex.agent.propagation.W3CTraceContextPropagator;
import io.picortex.agent.telemetry.SpanBatcher;
import io.picortex.agent.trace.LightTracer;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pipeline as {@code TelemetrySetup.create} builds it in production, except that the batch
 * processor feeds an exporter that drops everything: the agent's light tracer or the SDK's
 * ({@code tracerKind}), ULID trace IDs, {@code parentbased_always_on}, the batch processor that
 * tracer gets in the agent ({@link SpanBatcher} or the SDK's {@link BatchSpanProcessor}) with the
 * {@code otel.bsp.*} defaults, and the default propagators
 * ({@code tracecontext,baggage}) behind a composite.
 *
 * <p>{@code TelemetrySetup.batch}, {@code .sampler} and {@code .propagator} are package-private and
 * {@code create} takes no exporter, so the same choices are repeated here rather than called.
 */
@State(Scope.Benchmark)
public class Pipeline {
  static final String REQUEST_ID_HEADER = "X-Request-ID";
  static final String REQUEST_ID_ENV = "PICORTEX_REQUEST_ID";

  /** A request ID as a browser or gateway would send it. */
  static final String INCOMING_REQUEST_ID = "01J9ZQ3M4X8V5K2N7P6R1T0WYB";

  /** {@code light}: the agent's own spans (its default); {@code sdk}: the SDK's tracer. */
  @Param({"light", "sdk"})
  public String tracerKind;

  SdkTracerProvider tracerProvider;
  SpanProcessor processor;
  DiscardingExporter exporter;
  CountingProcessor ended;
  Tracer tracer;
  TextMapPropagator propagator;
  Tracing tracing;
  Handlers handlers;

  /** A server span (remote parent, request ID), for work done "inside a request". */
  Span serverSpan;

  Context serverContext;

  /**
   * The processor warns about every full queue; kept strongly reachable so the level sticks (a
   * benchmark JVM, not an application: touching java.util.logging is fine here).
   */
  private static final Logger BSP_LOG = Logger.getLogger(BatchSpanProcessor.class.getName());

  @Setup(Level.Trial)
  public void setUp() {
    BSP_LOG.setLevel(java.util.logging.Level.SEVERE);
    exporter = new DiscardingExporter();
    // the batch processor each tracer gets in the agent: ours for the light tracer, the SDK's for
    // the SDK's (the otel.bsp.* defaults either way)
    SpanProcessor batch =
        tracerKind.equals("sdk")
            ? BatchSpanProcessor.builder(exporter)
                .setScheduleDelay(Duration.ofSeconds(5))
                .setMaxQueueSize(2048)
                .setMaxExportBatchSize(512)
                .setExporterTimeout(Duration.ofSeconds(30))
                .build()
            : new SpanBatcher(exporter, Duration.ofSeconds(5), 2048, 512, Duration.ofSeconds(30));
    processor = ended = new CountingProcessor(batch);
    Sampler sampler = Sampler.parentBased(Sampler.alwaysOn());
    if (tracerKind.equals("sdk")) {
      tracerProvider =
          SdkTracerProvider.builder()
              .setResource(Resource.getDefault())
              .setIdGenerator(UlidIdGenerator.getInstance())
              .setSampler(sampler)
              .addSpanProcessor(processor)
              .build();
      tracer = tracerProvider.get("io.picortex.agent");
    } else {
      tracer = new LightTracer(Resource.getDefault(), "io.picortex.agent",
          UlidIdGenerator.getInstance(), sampler, processor);
    }
    propagator =
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
    tracing = new Tracing(tracer, propagator, REQUEST_ID_HEADER, REQUEST_ID_ENV, null);
    handlers = Handlers.create(tracing);

    Context remote =
        Context.root()
            .with(
                Span.wrap(
                    W3CTraceContextPropagator.parse(
                        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null)));
    serverSpan =
        tracer.spanBuilder("GET /api/orders").setSpanKind(SpanKind.SERVER).setParent(remote)
            .startSpan();
    serverContext = RequestIds.with(remote.with(serverSpan), INCOMING_REQUEST_ID);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    serverSpan.end();
    processor.forceFlush().join(10, TimeUnit.SECONDS);
    processor.shutdown().join(10, TimeUnit.SECONDS);
    // A benchmark ends spans far faster than any application: when the worker falls behind, the
    // processor drops spans at a full queue, which skips their export-side work (toSpanData).
    long endedSpans = ended.spans.sum();
    long exported = exporter.spans.sum();
    System.out.printf(
        "%n# spans ended %d, exported %d, dropped at the full queue %d (%.1f%%)%n",
        endedSpans, exported, endedSpans - exported,
        endedSpans == 0 ? 0.0 : 100.0 * (endedSpans - exported) / endedSpans);
  }

  /** Counts ended spans (one uncontended {@link LongAdder} add) in front of the batch processor. */
  static final class CountingProcessor implements SpanProcessor {
    final LongAdder spans = new LongAdder();
    private final SpanProcessor delegate;

    CountingProcessor(SpanProcessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      delegate.onStart(parentContext, span);
    }

    @Override
    public boolean isStartRequired() {
      return delegate.isStartRequired();
    }

    @Override
    public void onEnd(ReadableSpan span) {
      spans.increment();
      delegate.onEnd(span);
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }

    @Override
    public CompletableResultCode forceFlush() {
      return delegate.forceFlush();
    }
  }

  /** Counts and drops; nothing is serialised or sent. */
  static final class DiscardingExporter implements SpanExporter {
    final LongAdder spans = new LongAdder();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.add(batch.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
