package io.picortex.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.picortex.agent.trace.LightTracer;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.picortex.agent.ids.UlidIdGenerator;
import io.picortex.agent.propagation.W3CTraceContextPropagator;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handlers with the agent's default tracer; {@link HandlersSdkTracerTest} runs them all on the SDK's. */
class HandlersTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT = "b7ad6b7169203331";

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SpanProcessor processor = SimpleSpanProcessor.create(exporter);
  private final Tracer tracer = tracer(processor);
  private final TextMapPropagator propagator =
      TextMapPropagator.composite(
          W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
  private Handlers handlers = handlers(null);

  Tracer tracer(SpanProcessor processor) {
    return new LightTracer(Resource.getDefault(), "test", UlidIdGenerator.getInstance(),
        Sampler.parentBased(Sampler.alwaysOn()), processor);
  }

  private Handlers handlers(Context processContext) {
    return Handlers.create(
        new Tracing(tracer, propagator, "X-Request-ID", "PICORTEX_REQUEST_ID",
            processContext));
  }

  @AfterEach
  void nothingLeftActive() {
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    processor.close();
  }

  /** A request as a map of headers plus the response headers the handler sets. */
  static final class Request {
    final Map<String, String> headers = new HashMap<>();
    final Map<String, String> responseHeaders = new HashMap<>();
    String target = "/api/orders";
    String query;
  }

  static final class MapServerAdapter implements HttpServerHandler.Adapter<Request> {
    @Override public String method(Request r) { return "GET"; }
    @Override public String path(Request r) { return r.target; }
    @Override public String query(Request r) { return r.query; }
    @Override public String header(Request r, String name) {
      return r.headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue).findFirst().orElse(null);
    }
    @Override public String scheme(Request r) { return "http"; }
    @Override public String route(Request r) { return "/api"; }
    @Override public String serverAddress(Request r) { return "127.0.0.1"; }
    @Override public int serverPort(Request r) { return 8080; }
    @Override public String clientAddress(Request r) { return "127.0.0.2"; }
    @Override public String protocolVersion(Request r) { return "1.1"; }
    @Override public void setResponseHeader(Request r, String n, String v) {
      r.responseHeaders.put(n, v);
    }
  }

  static final class MapClientAdapter implements HttpClientHandler.Adapter<Map<String, String>> {
    @Override public String method(Map<String, String> r) { return "POST"; }
    @Override public URI uri(Map<String, String> r) {
      return URI.create("https://user:pw@api.example:8443/pay?access_token=abc&x=1");
    }
    @Override public String header(Map<String, String> r, String name) { return r.get(name); }
    @Override public void setHeader(Map<String, String> r, String name, String value) {
      r.put(name, value);
    }
  }

  @Test
  void serverSpanContinuesAValidTraceparentAndEchoesAValidRequestId() {
    Request request = new Request();
    request.headers.put("traceparent", "00-" + TRACE + "-" + PARENT + "-01");
    request.headers.put("X-Request-ID", "abc-123");
    request.query = "password=hunter2&page=2";
    HttpServerHandler.Call call = handlers.httpServer().start(request, new MapServerAdapter());
    assertThat(RequestIds.current()).isEqualTo("abc-123");
    handlers.httpServer().end(call, 200, null);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getName()).isEqualTo("GET /api");
    assertThat(span.getTraceId()).isEqualTo(TRACE);
    assertThat(span.getParentSpanId()).isEqualTo(PARENT);
    assertThat(request.responseHeaders).containsEntry("X-Request-ID", "abc-123");
    assertThat(span.getAttributes().get(SemConv.REQUEST_ID)).isEqualTo("abc-123");
    assertThat(span.getAttributes().get(SemConv.URL_QUERY)).doesNotContain("hunter2");
    assertThat(span.getAttributes().get(SemConv.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(200L);
  }

  @Test
  void serverReplacesAnInvalidRequestIdAndStartsANewTraceForAnInvalidTraceparent() {
    Request request = new Request();
    request.headers.put("traceparent", "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01");
    request.headers.put("X-Request-ID", "bad\r\nSet-Cookie: x=1");
    HttpServerHandler.Call call = handlers.httpServer().start(request, new MapServerAdapter());
    handlers.httpServer().end(call, 503, null);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getTraceId()).isNotEqualTo(TRACE);
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(request.responseHeaders.get("X-Request-ID")).hasSize(26).matches("[0-9A-Z]+");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void clientSpanInjectsHeadersOnlyWhereTheCallerSetNoneAndRedactsTheUrl() {
    Request incoming = new Request();
    incoming.headers.put("X-Request-ID", "req-1");
    HttpServerHandler.Call server = handlers.httpServer().start(incoming, new MapServerAdapter());
    Map<String, String> outgoing = new HashMap<>();
    outgoing.put("tracestate", "mine=1");
    HttpClientHandler.Call client = handlers.httpClient().start(outgoing, new MapClientAdapter());
    handlers.httpClient().end(client, 404, null);
    handlers.httpServer().end(server, 200, null);

    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData clientSpan = spans.get(0);
    SpanData serverSpan = spans.get(1);
    assertThat(clientSpan.getParentSpanId()).isEqualTo(serverSpan.getSpanId());
    assertThat(outgoing.get("traceparent"))
        .isEqualTo("00-" + clientSpan.getTraceId() + "-" + clientSpan.getSpanId() + "-01");
    assertThat(outgoing).containsEntry("tracestate", "mine=1").containsEntry("X-Request-ID", "req-1");
    String url = clientSpan.getAttributes().get(SemConv.URL_FULL);
    assertThat(url).doesNotContain("abc").doesNotContain("pw");
    assertThat(clientSpan.getAttributes().get(SemConv.SERVER_PORT)).isEqualTo(8443L);
    assertThat(clientSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void processSpanHandsTheContextToTheChildAndLeavesTheBuilderAsItWas() {
    Request incoming = new Request();
    incoming.headers.put("X-Request-ID", "req-2");
    HttpServerHandler.Call server = handlers.httpServer().start(incoming, new MapServerAdapter());
    Map<String, String> env = new HashMap<>(Map.of("PATH", "/bin", "TRACESTATE", "set=byapp"));
    ProcessHandler.Call call = handlers.process().start(List.of("/usr/bin/git", "push"), env);
    Map<String, String> childSaw = new HashMap<>(env);
    handlers.process().failed(call, env, new java.io.IOException("no such file"));
    handlers.httpServer().end(server, 200, null);

    SpanData process = exporter.getFinishedSpanItems().get(0);
    assertThat(process.getName()).isEqualTo("git");
    assertThat(childSaw.get("TRACEPARENT"))
        .isEqualTo("00-" + process.getTraceId() + "-" + process.getSpanId() + "-01");
    assertThat(childSaw).containsEntry("PICORTEX_REQUEST_ID", "req-2")
        .containsEntry("TRACESTATE", "set=byapp");
    assertThat(env).as("our variables are removed after the start")
        .containsOnlyKeys("PATH", "TRACESTATE");
    assertThat(process.getAttributes().asMap().keySet().stream().map(AttributeKey::getKey))
        .doesNotContain("process.command_args");
  }

  @Test
  void spansWithoutParentJoinTheTraceTheProcessWasStartedIn() {
    Context parentProcess =
        propagator.extract(Context.root(),
            Map.of("traceparent", "00-" + TRACE + "-" + PARENT + "-01"),
            new io.opentelemetry.context.propagation.TextMapGetter<Map<String, String>>() {
              @Override public Iterable<String> keys(Map<String, String> c) { return c.keySet(); }
              @Override public String get(Map<String, String> c, String k) { return c.get(k); }
            });
    handlers = handlers(parentProcess);
    Span db = handlers.db().start("jdbc:postgresql://db:5432/shop?password=pw", "SELECT 1");
    handlers.db().end(db, null);
    Request incoming = new Request();
    HttpServerHandler.Call server = handlers.httpServer().start(incoming, new MapServerAdapter());
    handlers.httpServer().end(server, 200, null);

    SpanData dbSpan = exporter.getFinishedSpanItems().get(0);
    SpanData serverSpan = exporter.getFinishedSpanItems().get(1);
    assertThat(dbSpan.getTraceId()).isEqualTo(TRACE);
    assertThat(dbSpan.getParentSpanId()).isEqualTo(PARENT);
    assertThat(serverSpan.getTraceId()).as("incoming requests start their own trace")
        .isNotEqualTo(TRACE);
  }

  @Test
  void dbSpanHasNoLiteralsAndNoCredentials() {
    try (Scope ignored = Context.root().makeCurrent()) {
      Span span = handlers.db().start("jdbc:postgresql://u:secretpw@db.example:5433/shop",
          "SELECT * FROM users WHERE email = 'a@b.c' AND age > 42");
      handlers.db().end(span, new java.sql.SQLException("boom"));
    }
    SpanData db = exporter.getFinishedSpanItems().get(0);
    assertThat(db.getName()).isEqualTo("SELECT users");
    assertThat(db.getAttributes().get(SemConv.DB_QUERY_TEXT))
        .isEqualTo("SELECT * FROM users WHERE email = ? AND age > ?");
    assertThat(db.getAttributes().get(SemConv.DB_SYSTEM_NAME)).isEqualTo("postgresql");
    assertThat(db.getAttributes().get(SemConv.SERVER_ADDRESS)).isEqualTo("db.example");
    assertThat(db.getAttributes().asMap().values().toString()).doesNotContain("secretpw");
    assertThat(db.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }
}
