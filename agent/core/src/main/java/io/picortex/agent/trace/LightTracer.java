package io.picortex.agent.trace;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * The agent's tracer: spans that record into a few arrays and are handed, once ended, to a span
 * processor (in the agent, the bounded, allocation-free {@code SpanBatcher}) and from it to the
 * SDK's exporters. What it leaves out is what the agent never uses on the request path: a hash map per span for
 * attributes, a lock object, an {@code Instant} per root span, processors called on start. The
 * {@link io.opentelemetry.sdk.trace.data.SpanData} handed to exporters is built on the exporter's
 * thread, not the application's.
 *
 * <p>Samplers are asked with the span's name, kind, trace ID and parent, but without its attributes
 * (the built-in samplers this agent configures do not read them).
 */
public final class LightTracer implements Tracer {
  /** The SDK's default attribute count limit ({@code otel.span.attribute.count.limit}). */
  static final int MAX_ATTRIBUTES = 128;

  final Resource resource;
  final InstrumentationScopeInfo scope;
  final IdGenerator ids;
  final Sampler sampler;
  final SpanProcessor processor;

  public LightTracer(
      Resource resource, String scopeName, IdGenerator ids, Sampler sampler, SpanProcessor processor) {
    this.resource = resource;
    this.scope = InstrumentationScopeInfo.create(scopeName);
    this.ids = ids;
    this.sampler = sampler;
    this.processor = processor;
  }

  @Override
  public SpanBuilder spanBuilder(String spanName) {
    return new LightSpanBuilder(this, spanName == null || spanName.isBlank() ? "<unspecified span name>" : spanName);
  }

  /** Exports what is queued; for shutdown and tests. */
  public CompletableResultCode forceFlush() {
    return processor.forceFlush();
  }

  public CompletableResultCode shutdown() {
    return processor.shutdown();
  }
}
