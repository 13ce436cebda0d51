package io.picortex.overhead;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP endpoint on 127.0.0.1 that accepts and discards: 200 with an empty protobuf body
 * (a valid, empty Export*ServiceResponse) to POST /v1/traces, /v1/metrics and /v1/logs. It counts
 * requests and bytes, so the report can show that the agents did export.
 */
final class OtlpSink implements AutoCloseable {

  private static final Set<String> PATHS = Set.of("/v1/traces", "/v1/metrics", "/v1/logs");

  private final HttpServer server;
  private final ExecutorService threads;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  private OtlpSink(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  static OtlpSink start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "overhead-otlp-sink");
              t.setDaemon(true);
              return t;
            });
    OtlpSink sink = new OtlpSink(server, threads);
    server.createContext("/", sink::handle);
    server.setExecutor(threads);
    server.start();
    return sink;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long requests() {
    return requests.get();
  }

  long bytes() {
    return bytes.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      long received = 0;
      byte[] buffer = new byte[16384];
      try (InputStream in = exchange.getRequestBody()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          received += n;
        }
      }
      boolean accepted =
          exchange.getRequestMethod().equals("POST")
              && PATHS.contains(exchange.getRequestURI().getPath());
      if (accepted) {
        requests.incrementAndGet();
        bytes.addAndGet(received);
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
