package io.picortex.agent.handler;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.picortex.agent.http.UrlRedaction;
import java.net.URI;

/**
 * Outgoing HTTP requests: one CLIENT span per logical request, and the trace, baggage and request
 * ID headers added to the request unless the caller set them itself.
 */
public final class HttpClientHandler {

  /** What a client instrumentation reads from and writes to its library's request. */
  public interface Adapter<R> {
    String method(R request);

    URI uri(R request);

    /** The header value the caller already set, or null. */
    String header(R request, String name);

    /** Adds a header the caller did not set. */
    void setHeader(R request, String name, String value);
  }

  /** A request in flight. */
  public static final class Call {
    final Span span;
    final Context parent;

    Call(Span span, Context parent) {
      this.span = span;
      this.parent = parent;
    }

    /** The context the call was made in (for callbacks that should run in it). */
    public Context parentContext() {
      return parent;
    }
  }

  private final Tracing tracing;

  HttpClientHandler(Tracing tracing) {
    this.tracing = tracing;
  }

  public <R> Call start(R request, Adapter<R> adapter) {
    Context parent = tracing.parentForOutgoing();
    String method = HttpMethods.normalize(adapter.method(request));
    URI uri = adapter.uri(request);
    io.opentelemetry.api.trace.SpanBuilder builder =
        tracing
            .tracer()
            .spanBuilder(method)
            .setSpanKind(SpanKind.CLIENT)
            .setParent(parent)
            .setAttribute(SemConv.HTTP_REQUEST_METHOD, method);
    if (HttpMethods.OTHER.equals(method)) {
      builder.setAttribute(SemConv.HTTP_REQUEST_METHOD_ORIGINAL,
          Bounded.text(adapter.method(request), 32));
    }
    if (uri != null) {
      // on the builder, not the started span: no span lock per attribute, and samplers see them
      builder.setAttribute(SemConv.URL_FULL, UrlRedaction.redactUrl(uri.toString()));
      if (uri.getHost() != null) {
        builder.setAttribute(SemConv.SERVER_ADDRESS, uri.getHost());
      }
      int port = uri.getPort() > 0 ? uri.getPort() : defaultPort(uri.getScheme());
      if (port > 0) {
        builder.setAttribute(SemConv.SERVER_PORT, (long) port);
      }
    }
    Span span = builder.startSpan();
    Context withSpan = parent.with(span);
    tracing.propagator().inject(withSpan, request, new OnlyIfAbsent<>(adapter));
    String requestId = RequestIds.from(parent);
    if (requestId != null && adapter.header(request, tracing.requestIdHeader()) == null) {
      adapter.setHeader(request, tracing.requestIdHeader(), requestId);
    }
    return new Call(span, parent);
  }

  /** @param status the response status, or below 100 when there was no response */
  public void end(Call call, int status, Throwable error) {
    Span span = call.span;
    if (status >= 100) {
      span.setAttribute(SemConv.HTTP_RESPONSE_STATUS_CODE, SemConv.statusCode(status));
    }
    if (error != null) {
      span.recordException(error);
      span.setAttribute(SemConv.ERROR_TYPE, error.getClass().getName());
      span.setStatus(StatusCode.ERROR);
    } else if (status >= 400) {
      span.setAttribute(SemConv.ERROR_TYPE, Integer.toString(status));
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  private static int defaultPort(String scheme) {
    if ("http".equalsIgnoreCase(scheme)) {
      return 80;
    }
    return "https".equalsIgnoreCase(scheme) ? 443 : -1;
  }

  /** Injects a propagation header only where the caller has not set it. */
  private static final class OnlyIfAbsent<R> implements TextMapSetter<R> {
    private final Adapter<R> adapter;

    OnlyIfAbsent(Adapter<R> adapter) {
      this.adapter = adapter;
    }

    @Override
    public void set(R carrier, String key, String value) {
      if (carrier != null && adapter.header(carrier, key) == null) {
        adapter.setHeader(carrier, key, value);
      }
    }
  }
}
