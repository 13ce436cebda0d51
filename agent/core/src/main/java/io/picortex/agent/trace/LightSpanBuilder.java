package io.picortex.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Collects a span's name, kind, parent and attributes; {@link #startSpan} decides and starts. */
final class LightSpanBuilder implements SpanBuilder {
  private final LightTracer tracer;
  private final String name;
  private SpanKind kind = SpanKind.INTERNAL;
  private Context parent;
  private final Attrs attributes = new Attrs();
  private List<LinkData> links;
  private long startEpochNanos;

  LightSpanBuilder(LightTracer tracer, String name) {
    this.tracer = tracer;
    this.name = name;
  }

  @Override
  public SpanBuilder setParent(Context context) {
    if (context != null) {
      parent = context;
    }
    return this;
  }

  @Override
  public SpanBuilder setNoParent() {
    parent = Context.root();
    return this;
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext) {
    return addLink(spanContext, Attributes.empty());
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext, Attributes linkAttributes) {
    if (spanContext != null && spanContext.isValid()) {
      if (links == null) {
        links = new ArrayList<>(2);
      }
      links.add(LinkData.create(spanContext, linkAttributes == null ? Attributes.empty() : linkAttributes));
    }
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, String value) {
    return setAttribute(AttributeKey.stringKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, long value) {
    return setAttribute(AttributeKey.longKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, double value) {
    return setAttribute(AttributeKey.doubleKey(key), value);
  }

  @Override
  public SpanBuilder setAttribute(String key, boolean value) {
    return setAttribute(AttributeKey.booleanKey(key), value);
  }

  @Override
  public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
    attributes.put(key, value);
    return this;
  }

  @Override
  public SpanBuilder setSpanKind(SpanKind spanKind) {
    if (spanKind != null) {
      kind = spanKind;
    }
    return this;
  }

  @Override
  public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
    if (startTimestamp >= 0 && unit != null) {
      startEpochNanos = unit.toNanos(startTimestamp);
    }
    return this;
  }

  @Override
  public Span startSpan() {
    Context parentContext = parent == null ? Context.current() : parent;
    SpanContext parentSpanContext = Span.fromContext(parentContext).getSpanContext();
    String spanId = tracer.ids.generateSpanId();
    String traceId =
        parentSpanContext.isValid() ? parentSpanContext.getTraceId() : tracer.ids.generateTraceId();
    List<LinkData> linkList = links == null ? List.of() : links;
    SamplingResult sampling =
        tracer.sampler.shouldSample(parentContext, traceId, name, kind, Attributes.empty(), linkList);
    SamplingDecision decision = sampling.getDecision();
    TraceState traceState = sampling.getUpdatedTraceState(parentSpanContext.getTraceState());
    SpanContext spanContext =
        SpanContext.create(
            traceId,
            spanId,
            decision == SamplingDecision.RECORD_AND_SAMPLE ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            traceState);
    if (decision == SamplingDecision.DROP) {
      return Span.wrap(spanContext);
    }
    Attributes extra = sampling.getAttributes();
    if (!extra.isEmpty()) {
      extra.forEach((k, v) -> attributes.put(k, v));
    }
    long nanoTime = System.nanoTime();
    long start = startEpochNanos != 0 ? startEpochNanos : SpanClock.epochNanos(nanoTime);
    return new LightSpan(tracer, name, kind, spanContext, parentSpanContext, attributes, linkList,
        start, nanoTime, startEpochNanos == 0);
  }
}
