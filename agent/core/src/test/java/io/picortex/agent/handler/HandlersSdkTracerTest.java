package io.picortex.agent.handler;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.picortex.agent.ids.UlidIdGenerator;

/** Every handler test again, on the SDK's tracer ({@code picortex.tracer=sdk}). */
class HandlersSdkTracerTest extends HandlersTest {
  @Override
  Tracer tracer(SpanProcessor processor) {
    return SdkTracerProvider.builder()
        .setIdGenerator(UlidIdGenerator.getInstance())
        .addSpanProcessor(processor)
        .build()
        .get("test");
  }
}
