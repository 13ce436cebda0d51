package io.picortex.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.picortex.agent.ids.UlidIdGenerator;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LightTracerTest {
  private static final Resource RESOURCE =
      Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "t")));
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final SpanContext REMOTE =
      SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
          TraceFlags.getSampled(), TraceState.builder().put("vendor", "v1").build());

  private final InMemorySpanExporter lightSpans = InMemorySpanExporter.create();
  private final InMemorySpanExporter sdkSpans = InMemorySpanExporter.create();

  private Tracer light(Sampler sampler) {
    return new LightTracer(RESOURCE, "io.picortex.agent", UlidIdGenerator.getInstance(), sampler,
        SimpleSpanProcessor.create(lightSpans));
  }

  private Tracer sdk(Sampler sampler) {
    return SdkTracerProvider.builder()
        .setResource(RESOURCE)
        .setIdGenerator(UlidIdGenerator.getInstance())
        .setSampler(sampler)
        .addSpanProcessor(SimpleSpanProcessor.create(sdkSpans))
        .build()
        .get("io.picortex.agent");
  }

  /** What a handler does: a server span under a remote parent, a child, an error, an event. */
  private static void work(Tracer tracer) {
    Span server = tracer.spanBuilder("GET /api/orders")
        .setSpanKind(SpanKind.SERVER)
        .setParent(Context.root().with(Span.wrap(REMOTE)))
        .setAttribute(METHOD, "GET")
        .setAttribute("url.path", "/api/orders")
        .setAttribute(METHOD, "POST") // set again: replaces
        .startSpan();
    try (Scope ignored = server.makeCurrent()) {
      Span db = tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).startSpan();
      db.recordException(new IllegalStateException("no table"));
      db.setStatus(StatusCode.ERROR, "failed");
      db.end();
    }
    server.addEvent("checkpoint", Attributes.of(AttributeKey.longKey("n"), 3L));
    server.setAttribute(STATUS, 200L);
    server.setStatus(StatusCode.OK);
    server.setStatus(StatusCode.ERROR, "ignored: OK is final");
    server.updateName("POST /api/orders");
    server.end();
  }

  @Test
  void recordsWhatTheSdkRecordsForTheSameCalls() {
    work(light(Sampler.parentBased(Sampler.alwaysOn())));
    work(sdk(Sampler.parentBased(Sampler.alwaysOn())));
    List<SpanData> ours = lightSpans.getFinishedSpanItems();
    List<SpanData> theirs = sdkSpans.getFinishedSpanItems();
    assertThat(ours).hasSize(2);
    assertThat(theirs).hasSize(2);
    for (int i = 0; i < 2; i++) {
      SpanData a = ours.get(i);
      SpanData b = theirs.get(i);
      assertThat(a.getName()).isEqualTo(b.getName());
      assertThat(a.getKind()).isEqualTo(b.getKind());
      assertThat(a.getTraceId()).isEqualTo(b.getTraceId()).isEqualTo(REMOTE.getTraceId());
      assertThat(a.getSpanContext().getTraceFlags()).isEqualTo(b.getSpanContext().getTraceFlags());
      assertThat(a.getSpanContext().getTraceState()).isEqualTo(b.getSpanContext().getTraceState());
      assertThat(a.getAttributes().asMap()).isEqualTo(b.getAttributes().asMap());
      // The SDK counts a key set twice as two (one "dropped" in OTLP); we count keys.
      assertThat(a.getTotalAttributeCount()).isEqualTo(a.getAttributes().size());
      assertThat(a.getStatus()).isEqualTo(b.getStatus());
      assertThat(a.getTotalRecordedEvents()).isEqualTo(b.getTotalRecordedEvents());
      assertThat(a.getEvents()).hasSameSizeAs(b.getEvents());
      for (int e = 0; e < a.getEvents().size(); e++) {
        EventData x = a.getEvents().get(e);
        EventData y = b.getEvents().get(e);
        assertThat(x.getName()).isEqualTo(y.getName());
        assertThat(x.getAttributes().asMap().keySet())
            .containsExactlyInAnyOrderElementsOf(y.getAttributes().asMap().keySet());
        assertThat(x.getAttributes().get(AttributeKey.stringKey("exception.type")))
            .isEqualTo(y.getAttributes().get(AttributeKey.stringKey("exception.type")));
        assertThat(x.getAttributes().get(AttributeKey.stringKey("exception.message")))
            .isEqualTo(y.getAttributes().get(AttributeKey.stringKey("exception.message")));
      }
      assertThat(a.getLinks()).isEqualTo(b.getLinks());
      assertThat(a.hasEnded()).isTrue();
      assertThat(a.getResource()).isEqualTo(b.getResource());
      assertThat(a.getInstrumentationScopeInfo()).isEqualTo(b.getInstrumentationScopeInfo());
    }
    // The child's parent is the server span; the server span's is the remote caller.
    assertThat(ours.get(0).getParentSpanId()).isEqualTo(ours.get(1).getSpanId());
    assertThat(ours.get(1).getParentSpanContext()).isEqualTo(REMOTE);
    assertThat(ours.get(0).getEvents().get(0).getAttributes()
            .get(AttributeKey.stringKey("exception.stacktrace")))
        .startsWith("java.lang.IllegalStateException: no table")
        .contains("at io.picortex.agent.trace.LightTracerTest.work");
  }

  @Test
  void aSpanIsExportedOnceAndChangesAfterItsEndAreIgnored() {
    Span span = light(Sampler.alwaysOn()).spanBuilder("once").setAttribute(METHOD, "GET").startSpan();
    assertThat(span.isRecording()).isTrue();
    span.end();
    span.end();
    span.setAttribute(STATUS, 500L);
    span.setStatus(StatusCode.ERROR);
    span.recordException(new RuntimeException());
    span.updateName("renamed");
    assertThat(span.isRecording()).isFalse();
    assertThat(lightSpans.getFinishedSpanItems()).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo("once");
      assertThat(s.getAttributes().asMap()).containsOnlyKeys(METHOD);
      assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(s.getEvents()).isEmpty();
    });
  }

  @Test
  void samplersDecideAndUnsampledSpansStillCarryAValidContext() {
    Span dropped = light(Sampler.alwaysOff()).spanBuilder("off").startSpan();
    assertThat(dropped.isRecording()).isFalse();
    assertThat(dropped.getSpanContext().isValid()).isTrue();
    assertThat(dropped.getSpanContext().isSampled()).isFalse();
    dropped.end();

    SpanContext unsampledCaller = SpanContext.createFromRemoteParent(
        REMOTE.getTraceId(), REMOTE.getSpanId(), TraceFlags.getDefault(), TraceState.getDefault());
    Span child = light(Sampler.parentBased(Sampler.alwaysOn())).spanBuilder("child")
        .setParent(Context.root().with(Span.wrap(unsampledCaller))).startSpan();
    assertThat(child.getSpanContext().getTraceId()).isEqualTo(REMOTE.getTraceId());
    assertThat(child.getSpanContext().isSampled()).isFalse();
    child.end();

    Span ratioZero = light(Sampler.traceIdRatioBased(0.0)).spanBuilder("ratio").startSpan();
    assertThat(ratioZero.isRecording()).isFalse();
    ratioZero.end();

    assertThat(lightSpans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void aRootSpanStartsANewTraceAndSetNoParentIgnoresTheCurrentSpan() {
    Tracer tracer = light(Sampler.alwaysOn());
    Span outer = tracer.spanBuilder("outer").startSpan();
    try (Scope ignored = outer.makeCurrent()) {
      Span inCurrent = tracer.spanBuilder("in current").startSpan();
      Span detached = tracer.spanBuilder("detached").setNoParent().startSpan();
      assertThat(inCurrent.getSpanContext().getTraceId()).isEqualTo(outer.getSpanContext().getTraceId());
      assertThat(detached.getSpanContext().getTraceId()).isNotEqualTo(outer.getSpanContext().getTraceId());
      inCurrent.end();
      detached.end();
    }
    outer.end();
    SpanData detached = lightSpans.getFinishedSpanItems().get(1);
    assertThat(detached.getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void attributesAreCappedAtTheSdkDefaultAndTheTotalCountsTheRest() {
    var builder = light(Sampler.alwaysOn()).spanBuilder("many");
    for (int i = 0; i < 130; i++) {
      builder.setAttribute("k" + i, i);
    }
    Span span = builder.startSpan();
    span.setAttribute("k0", 99); // replaced, not counted twice
    span.setAttribute("k0", "a string key of the same name is another key: over the limit");
    span.setAttribute(AttributeKey.stringKey(""), "empty key ignored");
    span.setAttribute(METHOD, null);
    span.end();
    SpanData data = lightSpans.getFinishedSpanItems().get(0);
    assertThat(data.getAttributes().size()).isEqualTo(LightTracer.MAX_ATTRIBUTES);
    assertThat(data.getTotalAttributeCount()).isEqualTo(131);
    assertThat(data.getAttributes().get(AttributeKey.longKey("k0"))).isEqualTo(99L);
    assertThat(data.getAttributes().get(AttributeKey.longKey("k127"))).isEqualTo(127L);
    assertThat(data.getAttributes().get(AttributeKey.longKey("k128"))).isNull();
  }

  @Test
  void timestampsAreWallClockAndTheDurationIsMonotonic() throws Exception {
    long before = toNanos(Instant.now());
    Span span = light(Sampler.alwaysOn()).spanBuilder("timed").startSpan();
    Thread.sleep(20);
    span.end();
    long after = toNanos(Instant.now());
    SpanData data = lightSpans.getFinishedSpanItems().get(0);
    // Bounds allow for the clock's granularity; a 20 ms sleep lasts at least 20 ms.
    assertThat(data.getStartEpochNanos()).isBetween(before - 2_000_000, after);
    assertThat(data.getEndEpochNanos() - data.getStartEpochNanos()).isGreaterThanOrEqualTo(20_000_000);
    assertThat(data.getEndEpochNanos()).isLessThanOrEqualTo(after + 2_000_000);

    Span explicit = light(Sampler.alwaysOn()).spanBuilder("explicit")
        .setStartTimestamp(1_000, TimeUnit.SECONDS).startSpan();
    explicit.end(1_002, TimeUnit.SECONDS);
    SpanData given = lightSpans.getFinishedSpanItems().get(1);
    assertThat(given.getStartEpochNanos()).isEqualTo(1_000_000_000_000L);
    assertThat(given.getEndEpochNanos()).isEqualTo(1_002_000_000_000L);
  }

  private static long toNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
