package io.picortex.benchmarks;

import io.picortex.agent.handler.HttpServerHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A server request reduced to what {@link HttpServerHandler.Adapter} reads: fixed fields and a
 * small case-insensitive header map, as servers look headers up. The adapter itself does no work
 * beyond the map look-ups, so what is measured is the handler's cost.
 */
final class FakeServerRequest {
  static final HttpServerHandler.Adapter<FakeServerRequest> ADAPTER = new MapAdapter();

  final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  final Map<String, String> responseHeaders = new HashMap<>();
  final String method;
  final String path;
  final String query;
  final String route;

  FakeServerRequest(String method, String path, String query, String route) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.route = route;
    headers.put("Host", "orders.internal:8080");
    headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0");
    headers.put("Accept", "application/json");
    headers.put("Accept-Encoding", "gzip, deflate");
    headers.put("Connection", "keep-alive");
  }

  FakeServerRequest header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  private static final class MapAdapter implements HttpServerHandler.Adapter<FakeServerRequest> {
    @Override
    public String method(FakeServerRequest request) {
      return request.method;
    }

    @Override
    public String path(FakeServerRequest request) {
      return request.path;
    }

    @Override
    public String query(FakeServerRequest request) {
      return request.query;
    }

    @Override
    public String header(FakeServerRequest request, String name) {
      return request.headers.get(name);
    }

    @Override
    public String scheme(FakeServerRequest request) {
      return "http";
    }

    @Override
    public String route(FakeServerRequest request) {
      return request.route;
    }

    @Override
    public String serverAddress(FakeServerRequest request) {
      return "orders.internal";
    }

    @Override
    public int serverPort(FakeServerRequest request) {
      return 8080;
    }

    @Override
    public String clientAddress(FakeServerRequest request) {
      return "10.1.2.3";
    }

    @Override
    public String protocolVersion(FakeServerRequest request) {
      return "1.1";
    }

    @Override
    public void setResponseHeader(FakeServerRequest request, String name, String value) {
      request.responseHeaders.put(name, value);
    }
  }
}
