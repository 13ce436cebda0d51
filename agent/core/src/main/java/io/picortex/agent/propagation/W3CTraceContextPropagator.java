package io.picortex.agent.propagation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.List;

/**
 * W3C Trace Context ({@code traceparent}, {@code tracestate}) with our own, allocation-light
 * parser.
 *
 * <p>Extraction never fails: a missing or invalid {@code traceparent} leaves the context as it was
 * (the request starts a new trace), an invalid {@code tracestate} is dropped while the trace is
 * still continued, and {@code tracestate} is not even read without a valid {@code traceparent}.
 * Injection writes version {@code 00} only, and only for a valid span context.
 *
 * <p>The static {@link #format(SpanContext)}, {@link #formatTraceState(TraceState)} and {@link
 * #parse(String, String)} serve carriers that are not header maps, such as the {@code TRACEPARENT}
 * and {@code TRACESTATE} environment variables of a child process.
 */
public final class W3CTraceContextPropagator implements TextMapPropagator {

  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  private static final List<String> FIELDS = List.of(TRACEPARENT, TRACESTATE);
  private static final W3CTraceContextPropagator INSTANCE = new W3CTraceContextPropagator();

  private W3CTraceContextPropagator() {}

  /** The stateless, shared instance. */
  public static W3CTraceContextPropagator getInstance() {
    return INSTANCE;
  }

  @Override
  public Collection<String> fields() {
    return FIELDS;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    SpanContext spanContext = Span.fromContext(context).getSpanContext();
    if (!spanContext.isValid()) {
      return;
    }
    setter.set(carrier, TRACEPARENT, TraceParent.format(spanContext));
    TraceState traceState = spanContext.getTraceState();
    if (!traceState.isEmpty()) {
      setter.set(carrier, TRACESTATE, TraceStateCodec.format(traceState));
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    if (getter == null) {
      return context;
    }
    String traceparent = getter.get(carrier, TRACEPARENT);
    if (!TraceParent.isValid(traceparent)) {
      return context;
    }
    TraceState traceState = TraceStateCodec.parse(getter.get(carrier, TRACESTATE));
    return context.with(Span.wrap(TraceParent.toRemoteSpanContext(traceparent, traceState)));
  }

  /**
   * The {@code traceparent} value ({@code 00-<trace-id>-<span-id>-<flags>}) for {@code
   * spanContext}, or {@code null} when it is null or invalid.
   */
  public static String format(SpanContext spanContext) {
    if (spanContext == null || !spanContext.isValid()) {
      return null;
    }
    return TraceParent.format(spanContext);
  }

  /** The {@code tracestate} value for {@code traceState}, or {@code ""} when it is empty. */
  public static String formatTraceState(TraceState traceState) {
    return TraceStateCodec.format(traceState);
  }

  /**
   * The remote parent described by a {@code traceparent} and an optional {@code tracestate} value,
   * or {@link SpanContext#getInvalid()} when {@code traceparent} is missing or invalid.
   */
  public static SpanContext parse(String traceparent, String tracestate) {
    if (!TraceParent.isValid(traceparent)) {
      return SpanContext.getInvalid();
    }
    return TraceParent.toRemoteSpanContext(traceparent, TraceStateCodec.parse(tracestate));
  }

  @Override
  public String toString() {
    return "W3CTraceContextPropagator";
  }
}
