package io.picortex.instrumentation.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.bridge.Hook;
import io.picortex.agent.handler.HttpServerHandler;
import java.net.InetSocketAddress;
import java.net.URI;

/** Reads an {@link HttpExchange} for the {@link HttpServerHandler}; the outermost chain call wins. */
final class FilterChainHook implements Hook, HttpServerHandler.Adapter<HttpExchange> {
  private final CallDepth depth = new CallDepth();
  private final HttpServerHandler handler;

  FilterChainHook(HttpServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public Object onEnter(Object self, Object argument) {
    if (depth.enter() > 1 || !(argument instanceof HttpExchange exchange)) {
      return null;
    }
    return handler.start(exchange, this);
  }

  @Override
  public Object onExit(Object state, Object self, Object result, Throwable thrown) {
    try {
      if (state instanceof HttpServerHandler.Call call) {
        int status = -1;
        try {
          status = ((HttpExchange) self).getResponseCode();
        } finally {
          handler.end(call, status, thrown);
        }
      }
      return result;
    } finally {
      depth.exit();
    }
  }

  @Override
  public String method(HttpExchange exchange) {
    return exchange.getRequestMethod();
  }

  @Override
  public String path(HttpExchange exchange) {
    URI uri = exchange.getRequestURI();
    return uri == null ? null : uri.getRawPath();
  }

  @Override
  public String query(HttpExchange exchange) {
    URI uri = exchange.getRequestURI();
    return uri == null ? null : uri.getRawQuery();
  }

  @Override
  public String header(HttpExchange exchange, String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  @Override
  public String scheme(HttpExchange exchange) {
    return exchange instanceof HttpsExchange ? "https" : "http";
  }

  @Override
  public String route(HttpExchange exchange) {
    return exchange.getHttpContext() == null ? null : exchange.getHttpContext().getPath();
  }

  @Override
  public String serverAddress(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null && !host.isEmpty()) {
      int colon = portColon(host);
      return colon > 0 ? host.substring(0, colon) : host;
    }
    InetSocketAddress local = exchange.getLocalAddress();
    return local == null ? null : local.getHostString();
  }

  /**
   * The Host header's port, else the scheme's default (semantic conventions: the port the client
   * addressed); the socket's only without a Host header, because asking the socket builds a new
   * address object per request.
   */
  @Override
  public int serverPort(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null && !host.isEmpty()) {
      int colon = portColon(host);
      if (colon >= 0) {
        return parsePort(host, colon + 1);
      }
      return exchange instanceof HttpsExchange ? 443 : 80;
    }
    InetSocketAddress local = exchange.getLocalAddress();
    return local == null ? -1 : local.getPort();
  }

  /** Where a Host header's port starts (the colon), or -1: {@code [::1]} has none, {@code [::1]:80} has. */
  static int portColon(String host) {
    int colon = host.lastIndexOf(':');
    return colon > host.lastIndexOf(']') ? colon : -1;
  }

  /** Digits from {@code start} to the end as a port, or -1. */
  static int parsePort(String s, int start) {
    int port = 0;
    if (start >= s.length() || s.length() - start > 5) {
      return -1;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535 ? port : -1;
  }

  @Override
  public String clientAddress(HttpExchange exchange) {
    InetSocketAddress remote = exchange.getRemoteAddress();
    if (remote == null) {
      return null;
    }
    return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
  }

  @Override
  public String protocolVersion(HttpExchange exchange) {
    String protocol = exchange.getProtocol();
    if ("HTTP/1.1".equals(protocol)) {
      return "1.1";
    }
    if ("HTTP/1.0".equals(protocol)) {
      return "1.0";
    }
    return protocol != null && protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
  }

  @Override
  public void setResponseHeader(HttpExchange exchange, String name, String value) {
    exchange.getResponseHeaders().set(name, value);
  }
}
