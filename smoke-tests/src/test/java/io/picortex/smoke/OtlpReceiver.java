package io.picortex.smoke;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver in the test JVM (which runs without an agent): {@code POST /v1/traces} is
 * decoded with the official protobuf classes and kept; {@code /v1/metrics} and {@code /v1/logs}
 * are accepted and counted.
 */
final class OtlpReceiver implements AutoCloseable {

  private static final HexFormat HEX = HexFormat.of();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger traceRequests = new AtomicInteger();
  private final AtomicInteger metricRequests = new AtomicInteger();
  private final AtomicInteger logRequests = new AtomicInteger();

  private OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setExecutor(threads);
    server.createContext("/v1/traces", this::traces);
    server.createContext("/v1/metrics", exchange -> acceptAndIgnore(exchange, metricRequests));
    server.createContext("/v1/logs", exchange -> acceptAndIgnore(exchange, logRequests));
    server.start();
  }

  static OtlpReceiver start() throws IOException {
    return new OtlpReceiver();
  }

  /** The base URL to give as otel.exporter.otlp.endpoint. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  synchronized List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  List<ReceivedSpan> spansOf(String service) {
    return spans().stream().filter(s -> s.service().equals(service)).collect(Collectors.toList());
  }

  List<ReceivedSpan> trace(String traceId) {
    return spans().stream().filter(s -> s.traceId().equals(traceId)).collect(Collectors.toList());
  }

  int metricRequests() {
    return metricRequests.get();
  }

  int logRequests() {
    return logRequests.get();
  }

  /**
   * Waits (on arrivals, with a deadline) until the received spans satisfy {@code condition};
   * returns them, or fails naming what was awaited and what arrived.
   */
  List<ReceivedSpan> awaitSpans(
      String description, Predicate<List<ReceivedSpan>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        List<ReceivedSpan> snapshot = List.copyOf(spans);
        if (condition.test(snapshot)) {
          return snapshot;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "timed out after " + timeout + " waiting for " + description + describe(snapshot, null));
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + description, e);
        }
      }
    }
  }

  /** The first span that matches, waiting for it to arrive. */
  ReceivedSpan awaitSpan(String description, Predicate<ReceivedSpan> match, Duration timeout) {
    return awaitSpans(description, all -> all.stream().anyMatch(match), timeout).stream()
        .filter(match)
        .findFirst()
        .orElseThrow();
  }

  /** The spans of one trace, once {@code condition} holds for them. */
  List<ReceivedSpan> awaitTrace(
      String traceId,
      String description,
      Predicate<List<ReceivedSpan>> condition,
      Duration timeout) {
    try {
      return awaitSpans(
              description,
              all -> condition.test(all.stream().filter(s -> s.traceId().equals(traceId)).toList()),
              timeout)
          .stream()
          .filter(s -> s.traceId().equals(traceId))
          .collect(Collectors.toList());
    } catch (AssertionError e) {
      throw new AssertionError(
          "timed out after "
              + timeout
              + " waiting for trace "
              + traceId
              + " to have "
              + description
              + describe(trace(traceId), traceId),
          e);
    }
  }

  /** A readable dump for failure messages: the trace's spans, or the last ones received. */
  String describe(List<ReceivedSpan> shown, String traceId) {
    StringBuilder text = new StringBuilder();
    if (!problems.isEmpty()) {
      text.append("\nreceiver problems: ").append(problems);
    }
    text.append("\nOTLP requests: traces=")
        .append(traceRequests.get())
        .append(" metrics=")
        .append(metricRequests.get())
        .append(" logs=")
        .append(logRequests.get());
    List<ReceivedSpan> list = shown;
    if (traceId == null && list.size() > 40) {
      text.append("\nlast 40 of ").append(list.size()).append(" spans received:");
      list = list.subList(list.size() - 40, list.size());
    } else {
      text.append(traceId == null ? "\nspans received:" : "\nspans of trace " + traceId + ":");
    }
    if (list.isEmpty()) {
      text.append(" none");
    }
    for (ReceivedSpan span : list) {
      text.append("\n  ").append(span);
    }
    return text.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  // ---- decoding --------------------------------------------------------------------------

  private void traces(HttpExchange exchange) throws IOException {
    try (exchange) {
      traceRequests.incrementAndGet();
      byte[] body = readBody(exchange);
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (!"POST".equals(exchange.getRequestMethod())
          || contentType == null
          || !contentType.startsWith("application/x-protobuf")) {
        problems.add(
            "unexpected " + exchange.getRequestMethod() + " /v1/traces with Content-Type " + contentType);
        exchange.sendResponseHeaders(415, -1);
        return;
      }
      List<ReceivedSpan> decoded;
      try {
        decoded = decode(ExportTraceServiceRequest.parseFrom(body));
      } catch (IOException | RuntimeException e) {
        problems.add("undecodable /v1/traces body (" + body.length + " bytes): " + e);
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      synchronized (this) {
        spans.addAll(decoded);
        notifyAll();
      }
      // An empty ExportTraceServiceResponse is zero bytes.
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private static void acceptAndIgnore(HttpExchange exchange, AtomicInteger counter)
      throws IOException {
    try (exchange) {
      counter.incrementAndGet();
      readBody(exchange);
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream raw = exchange.getRequestBody();
    boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
    try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
      return in.readAllBytes();
    }
  }

  private static List<ReceivedSpan> decode(ExportTraceServiceRequest request) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Resource resource = resourceSpans.getResource();
      Map<String, Object> resourceAttributes = attributes(resource.getAttributesList());
      String service = String.valueOf(resourceAttributes.getOrDefault("service.name", ""));
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scope = scopeSpans.getScope().getName();
        for (Span span : scopeSpans.getSpansList()) {
          List<ReceivedSpan.Event> events = new ArrayList<>();
          for (Span.Event event : span.getEventsList()) {
            events.add(new ReceivedSpan.Event(event.getName(), attributes(event.getAttributesList())));
          }
          out.add(
              new ReceivedSpan(
                  service,
                  resourceAttributes,
                  scope,
                  hex(span.getTraceId()),
                  hex(span.getSpanId()),
                  hex(span.getParentSpanId()),
                  span.getName(),
                  kind(span.getKind()),
                  span.getStartTimeUnixNano(),
                  span.getEndTimeUnixNano(),
                  attributes(span.getAttributesList()),
                  span.getStatus().getCode().name().replace("STATUS_CODE_", ""),
                  span.getStatus().getMessage(),
                  List.copyOf(events)));
        }
      }
    }
    return out;
  }

  private static ReceivedSpan.Kind kind(Span.SpanKind kind) {
    switch (kind) {
      case SPAN_KIND_INTERNAL:
        return ReceivedSpan.Kind.INTERNAL;
      case SPAN_KIND_SERVER:
        return ReceivedSpan.Kind.SERVER;
      case SPAN_KIND_CLIENT:
        return ReceivedSpan.Kind.CLIENT;
      case SPAN_KIND_PRODUCER:
        return ReceivedSpan.Kind.PRODUCER;
      case SPAN_KIND_CONSUMER:
        return ReceivedSpan.Kind.CONSUMER;
      default:
        return ReceivedSpan.Kind.UNSPECIFIED;
    }
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  private static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      map.put(keyValue.getKey(), value(keyValue.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }

  private static Object value(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return value.getBoolValue();
      case INT_VALUE:
        return value.getIntValue();
      case DOUBLE_VALUE:
        return value.getDoubleValue();
      case ARRAY_VALUE:
        return value.getArrayValue().getValuesList().stream()
            .map(OtlpReceiver::value)
            .collect(Collectors.toList());
      case KVLIST_VALUE:
        return attributes(value.getKvlistValue().getValuesList());
      case BYTES_VALUE:
        return value.getBytesValue().toByteArray();
      default:
        return null;
    }
  }
}
