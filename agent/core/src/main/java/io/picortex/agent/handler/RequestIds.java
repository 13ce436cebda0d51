package io.picortex.agent.handler;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

/** The request ID travels in the OpenTelemetry context next to the span. */
public final class RequestIds {
  static final ContextKey<String> KEY = ContextKey.named("picortex-request-id");

  private RequestIds() {}

  public static String current() {
    return Context.current().get(KEY);
  }

  public static String from(Context context) {
    return context.get(KEY);
  }

  public static Context with(Context context, String requestId) {
    return requestId == null ? context : context.with(KEY, requestId);
  }
}
