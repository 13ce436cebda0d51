package io.picortex.instrumentation.urlconnection;

import io.picortex.agent.handler.HttpClientHandler;
import io.picortex.agent.util.WeakIdentityMap;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The span of each connection between its first request method and its response. A connection
 * whose response was read stays marked as done, so that reading it again (a second {@code
 * getInputStream}, {@code getHeaderField} after {@code getResponseCode}) is not a new request.
 */
final class ConnectionState implements HttpClientHandler.Adapter<HttpURLConnection> {
  private static final Object DONE = new Object();

  private final WeakIdentityMap<HttpURLConnection, Object> calls = new WeakIdentityMap<>(10_000);
  final HttpClientHandler handler;

  ConnectionState(HttpClientHandler handler) {
    this.handler = handler;
  }

  /** The connection's call, a new one for a new connection, or null when it is done. */
  HttpClientHandler.Call startIfAbsent(HttpURLConnection connection) {
    Object known = calls.get(connection);
    if (known instanceof HttpClientHandler.Call call) {
      return call;
    }
    if (known == DONE) {
      return null;
    }
    HttpClientHandler.Call call = handler.start(connection, this);
    calls.put(connection, call);
    return call;
  }

  /** The call in flight, now marked done; null when there was none. */
  HttpClientHandler.Call finish(HttpURLConnection connection) {
    Object known = calls.put(connection, DONE);
    return known instanceof HttpClientHandler.Call call ? call : null;
  }

  @Override
  public String method(HttpURLConnection connection) {
    return connection.getRequestMethod();
  }

  @Override
  public URI uri(HttpURLConnection connection) {
    try {
      return connection.getURL().toURI();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  @Override
  public String header(HttpURLConnection connection, String name) {
    try {
      return connection.getRequestProperty(name);
    } catch (IllegalStateException alreadyConnected) {
      return "";
    }
  }

  @Override
  public void setHeader(HttpURLConnection connection, String name, String value) {
    try {
      connection.setRequestProperty(name, value);
    } catch (IllegalStateException alreadyConnected) {
      // too late to add headers; the span is still recorded
    }
  }
}
