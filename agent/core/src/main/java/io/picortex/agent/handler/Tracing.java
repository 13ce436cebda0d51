package io.picortex.agent.handler;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * What the handlers share: the tracer, the propagators, the request-ID names, and the context this
 * process was started in (a parent process's {@code TRACEPARENT}), which spans with no other parent
 * join. Incoming server requests never use it: they start their own trace or continue the caller's.
 */
public record Tracing(
    Tracer tracer,
    TextMapPropagator propagator,
    String requestIdHeader,
    String requestIdEnvironmentVariable,
    Context processContext) {

  /** The parent for a span that is not a server span: the current context, or the process's. */
  Context parentForOutgoing() {
    Context current = Context.current();
    if (Span.fromContext(current).getSpanContext().isValid()) {
      return current;
    }
    return processContext == null ? current : processContext;
  }
}
