package io.picortex.agent.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A recording span. Mutations are guarded by the span's own monitor (uncontended in practice: a
 * span is written by the thread that works on it) and ignored once it has ended, as the SDK's are.
 * Exceptions are kept as they were recorded and turned into event attributes (type, message,
 * stack trace) only in {@link #toSpanData}, on the exporter's thread.
 */
final class LightSpan implements Span, ReadableSpan {
  /** The SDK's default event count limit. */
  private static final int MAX_EVENTS = 128;

  private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  private static final AttributeKey<String> EXCEPTION_MESSAGE =
      AttributeKey.stringKey("exception.message");
  private static final AttributeKey<String> EXCEPTION_STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");

  private final LightTracer tracer;
  private final SpanKind kind;
  private final SpanContext context;
  private final SpanContext parent;
  private final Attrs attributes;
  private final List<LinkData> links;
  private final long startEpochNanos;
  /** {@link System#nanoTime} at start, or 0 when the start was given explicitly. */
  private final long startNanoTime;

  private String name;
  private StatusCode status = StatusCode.UNSET;
  private String statusDescription;
  /** {@link EventData}, or {@link Recorded} exceptions not yet turned into events. */
  private List<Object> events;
  private int totalEvents;
  private long endEpochNanos;
  private volatile boolean ended;

  /** An exception as recorded, its attributes computed at export. */
  private record Recorded(long epochNanos, Throwable error, Attributes additional) {}

  LightSpan(
      LightTracer tracer,
      String name,
      SpanKind kind,
      SpanContext context,
      SpanContext parent,
      Attrs attributes,
      List<LinkData> links,
      long startEpochNanos,
      long startNanoTime,
      boolean monotonic) {
    this.tracer = tracer;
    this.name = name;
    this.kind = kind;
    this.context = context;
    this.parent = parent;
    this.attributes = attributes;
    this.links = links;
    this.startEpochNanos = startEpochNanos;
    this.startNanoTime = monotonic ? startNanoTime : 0;
  }

  private long now() {
    long nanoTime = System.nanoTime();
    return startNanoTime != 0
        ? startEpochNanos + (nanoTime - startNanoTime)
        : SpanClock.epochNanos(nanoTime);
  }

  @Override
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    synchronized (this) {
      if (!ended) {
        attributes.put(key, value);
      }
    }
    return this;
  }

  @Override
  public Span addEvent(String eventName, Attributes eventAttributes) {
    return addEvent(eventName, eventAttributes, now());
  }

  @Override
  public Span addEvent(String eventName, Attributes eventAttributes, long timestamp, TimeUnit unit) {
    return unit == null ? this : addEvent(eventName, eventAttributes, unit.toNanos(timestamp));
  }

  private Span addEvent(String eventName, Attributes eventAttributes, long epochNanos) {
    if (eventName != null) {
      Attributes a = eventAttributes == null ? Attributes.empty() : eventAttributes;
      event(EventData.create(epochNanos, eventName, a));
    }
    return this;
  }

  private void event(Object event) {
    synchronized (this) {
      if (ended) {
        return;
      }
      totalEvents++;
      if (events == null) {
        events = new ArrayList<>(2);
      }
      if (events.size() < MAX_EVENTS) {
        events.add(event);
      }
    }
  }

  @Override
  public Span recordException(Throwable exception, Attributes additional) {
    if (exception != null) {
      event(new Recorded(now(), exception, additional == null ? Attributes.empty() : additional));
    }
    return this;
  }

  @Override
  public Span setStatus(StatusCode code, String description) {
    synchronized (this) {
      // As the SDK: UNSET never overrides, and OK is final.
      if (code == null || ended || status == StatusCode.OK || code == StatusCode.UNSET) {
        return this;
      }
      status = code;
      statusDescription = code == StatusCode.ERROR ? description : null;
    }
    return this;
  }

  @Override
  public Span updateName(String newName) {
    synchronized (this) {
      if (newName != null && !ended) {
        name = newName;
      }
    }
    return this;
  }

  @Override
  public void end() {
    end(now());
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    end(unit == null ? now() : unit.toNanos(timestamp));
  }

  private void end(long epochNanos) {
    synchronized (this) {
      if (ended) {
        return;
      }
      endEpochNanos = Math.max(epochNanos, startEpochNanos);
      ended = true;
    }
    if (context.isSampled() && tracer.processor.isEndRequired()) {
      tracer.processor.onEnd(this);
    }
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public boolean isRecording() {
    return !ended;
  }

  // ReadableSpan: what span processors read.

  @Override
  public SpanContext getParentSpanContext() {
    return parent;
  }

  @Override
  public synchronized String getName() {
    return name;
  }

  @Override
  public boolean hasEnded() {
    return ended;
  }

  @Override
  public synchronized long getLatencyNanos() {
    return (ended ? endEpochNanos : now()) - startEpochNanos;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public synchronized <T> T getAttribute(AttributeKey<T> key) {
    return attributes.get(key);
  }

  @Override
  public synchronized Attributes getAttributes() {
    return attributes.toAttributes();
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return tracer.scope;
  }

  @Override
  @Deprecated
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(tracer.scope.getName(), tracer.scope.getVersion());
  }

  @Override
  public synchronized SpanData toSpanData() {
    List<EventData> eventData = List.of();
    if (events != null) {
      eventData = new ArrayList<>(events.size());
      for (Object e : events) {
        eventData.add(e instanceof Recorded r ? exceptionEvent(r) : (EventData) e);
      }
    }
    return new LightSpanData(
        name,
        kind,
        context,
        parent,
        status == StatusCode.UNSET ? StatusData.unset() : StatusData.create(status, statusDescription),
        startEpochNanos,
        attributes.toAttributes(),
        attributes.total(),
        eventData,
        totalEvents,
        links,
        ended ? endEpochNanos : now(),
        ended,
        tracer.scope,
        tracer.resource);
  }

  private static EventData exceptionEvent(Recorded r) {
    Throwable error = r.error();
    String type = error.getClass().getCanonicalName();
    StringWriter stack = new StringWriter();
    try (PrintWriter out = new PrintWriter(stack)) {
      error.printStackTrace(out);
    }
    var attributes = Attributes.builder()
        .put(EXCEPTION_TYPE, type != null ? type : error.getClass().getName());
    if (error.getMessage() != null) {
      attributes.put(EXCEPTION_MESSAGE, error.getMessage());
    }
    attributes.put(EXCEPTION_STACKTRACE, stack.toString());
    attributes.putAll(r.additional());
    Attributes built = attributes.build();
    return EventData.create(r.epochNanos(), "exception", built, built.size());
  }

  @Override
  public String toString() {
    return "LightSpan{" + context.getTraceId() + "/" + context.getSpanId() + " " + getName() + "}";
  }
}
