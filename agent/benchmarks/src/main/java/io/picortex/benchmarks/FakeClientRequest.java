package io.picortex.benchmarks;

import io.picortex.agent.handler.HttpClientHandler;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** An outgoing request: method, URI and a header map the handler adds propagation headers to. */
final class FakeClientRequest {
  static final HttpClientHandler.Adapter<FakeClientRequest> ADAPTER = new MapAdapter();

  final String method;
  final URI uri;
  final Map<String, String> headers = new HashMap<>();

  FakeClientRequest(String method, URI uri) {
    this.method = method;
    this.uri = uri;
  }

  /** Back to the headers the caller set, so each operation injects into a fresh request. */
  FakeClientRequest reset() {
    headers.clear();
    headers.put("Accept", "application/json");
    return this;
  }

  private static final class MapAdapter implements HttpClientHandler.Adapter<FakeClientRequest> {
    @Override
    public String method(FakeClientRequest request) {
      return request.method;
    }

    @Override
    public URI uri(FakeClientRequest request) {
      return request.uri;
    }

    @Override
    public String header(FakeClientRequest request, String name) {
      return request.headers.get(name);
    }

    @Override
    public void setHeader(FakeClientRequest request, String name, String value) {
      request.headers.put(name, value);
    }
  }
}
