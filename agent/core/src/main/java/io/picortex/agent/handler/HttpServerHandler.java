package io.picortex.agent.handler;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.picortex.agent.http.UrlRedaction;
import io.picortex.agent.ids.RequestIdPolicy;
import java.util.List;

/**
 * Incoming HTTP requests: one SERVER span per request, the caller's trace continued when it sent a
 * valid {@code traceparent}, a request ID accepted from a valid header or minted, and that ID put on
 * the response before the application writes it.
 */
public final class HttpServerHandler {

  /** What a server instrumentation reads from its library's request and response objects. */
  public interface Adapter<R> extends TextMapGetter<R> {
    String method(R request);

    /** The request target's path, without the query. */
    String path(R request);

    /** The raw query string, or null. */
    String query(R request);

    /** The header's first value, or null. */
    String header(R request, String name);

    String scheme(R request);

    /** The matched route or context path, used in the span name, or null. */
    String route(R request);

    String serverAddress(R request);

    int serverPort(R request);

    String clientAddress(R request);

    String protocolVersion(R request);

    void setResponseHeader(R request, String name, String value);

    @Override
    default String get(R carrier, String key) {
      return carrier == null ? null : header(carrier, key);
    }

    @Override
    default Iterable<String> keys(R carrier) {
      return List.of();
    }
  }

  /** A request in flight; closed by {@link #end}. */
  public static final class Call {
    final Span span;
    final Scope scope;
    final String requestId;

    Call(Span span, Scope scope, String requestId) {
      this.span = span;
      this.scope = scope;
      this.requestId = requestId;
    }

    public String requestId() {
      return requestId;
    }
  }

  private static final int MAX_USER_AGENT = 256;

  private final Tracing tracing;

  HttpServerHandler(Tracing tracing) {
    this.tracing = tracing;
  }

  public <R> Call start(R request, Adapter<R> adapter) {
    Context parent = tracing.propagator().extract(Context.root(), request, adapter);
    String requestId = RequestIdPolicy.acceptOrMint(adapter.header(request, tracing.requestIdHeader()));
    adapter.setResponseHeader(request, tracing.requestIdHeader(), requestId);

    String method = HttpMethods.normalize(adapter.method(request));
    String route = adapter.route(request);
    SpanBuilder builder =
        tracing
            .tracer()
            .spanBuilder(route == null ? method : method + " " + route)
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAttribute(SemConv.HTTP_REQUEST_METHOD, method)
            .setAttribute(SemConv.REQUEST_ID, requestId);
    if (HttpMethods.OTHER.equals(method)) {
      builder.setAttribute(SemConv.HTTP_REQUEST_METHOD_ORIGINAL,
          Bounded.text(adapter.method(request), 32));
    }
    if (route != null) {
      builder.setAttribute(SemConv.HTTP_ROUTE, route);
    }
    String path = adapter.path(request);
    if (path != null) {
      builder.setAttribute(SemConv.URL_PATH, Bounded.text(path, 2048));
    }
    String query = adapter.query(request);
    if (query != null && !query.isEmpty()) {
      builder.setAttribute(SemConv.URL_QUERY, UrlRedaction.redactQuery(query));
    }
    setIfPresent(builder, adapter.scheme(request), SemConv.URL_SCHEME);
    setIfPresent(builder, adapter.serverAddress(request), SemConv.SERVER_ADDRESS);
    int port = adapter.serverPort(request);
    if (port > 0) {
      builder.setAttribute(SemConv.SERVER_PORT, (long) port);
    }
    setIfPresent(builder, adapter.clientAddress(request), SemConv.CLIENT_ADDRESS);
    setIfPresent(builder, adapter.protocolVersion(request), SemConv.NETWORK_PROTOCOL_VERSION);
    String userAgent = adapter.header(request, "User-Agent");
    if (userAgent != null) {
      builder.setAttribute(SemConv.USER_AGENT_ORIGINAL, Bounded.text(userAgent, MAX_USER_AGENT));
    }
    Span span = builder.startSpan();
    Scope scope = RequestIds.with(parent.with(span), requestId).makeCurrent();
    return new Call(span, scope, requestId);
  }

  /** @param status the response status, or a value below 100 when none was sent */
  public void end(Call call, int status, Throwable error) {
    try {
      call.scope.close();
    } finally {
      Span span = call.span;
      if (status >= 100) {
        span.setAttribute(SemConv.HTTP_RESPONSE_STATUS_CODE, SemConv.statusCode(status));
      }
      if (error != null) {
        span.recordException(error);
        span.setAttribute(SemConv.ERROR_TYPE, error.getClass().getName());
        span.setStatus(StatusCode.ERROR);
      } else if (status >= 500) {
        span.setAttribute(SemConv.ERROR_TYPE, Integer.toString(status));
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }

  private static void setIfPresent(
      SpanBuilder builder, String value, io.opentelemetry.api.common.AttributeKey<String> key) {
    if (value != null && !value.isEmpty()) {
      builder.setAttribute(key, Bounded.text(value, 256));
    }
  }
}
