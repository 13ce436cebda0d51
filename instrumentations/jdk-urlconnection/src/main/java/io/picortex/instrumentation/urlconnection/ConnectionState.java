package io.picortex.instrumentation.urlconnection;

import io.picortex.agent.handler.HttpClientHandler;
import io.picortex.agent.util.WeakIdentityMap;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;

/** The span of each connection between its first request method and its response. */
final class ConnectionState implements HttpClientHandler.Adapter<HttpURLConnection> {
  private final WeakIdentityMap<HttpURLConnection, HttpClientHandler.Call> calls =
      new WeakIdentityMap<>(10_000);
  final HttpClientHandler handler;

  ConnectionState(HttpClientHandler handler) {
    this.handler = handler;
  }

  HttpClientHandler.Call startIfAbsent(HttpURLConnection connection) {
    HttpClientHandler.Call call = calls.get(connection);
    if (call == null) {
      call = handler.start(connection, this);
      calls.put(connection, call);
    }
    return call;
  }

  HttpClientHandler.Call remove(HttpURLConnection connection) {
    return calls.remove(connection);
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
