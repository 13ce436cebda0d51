package io.picortex.instrumentation.urlconnection;

import io.picortex.agent.bridge.CallDepth;
import io.picortex.agent.bridge.Hook;
import io.picortex.agent.handler.HttpClientHandler;
import java.io.IOException;
import java.net.HttpURLConnection;

/** Starts (connect, getOutputStream) or starts-and-ends (getInputStream) a connection's span. */
final class ConnectionHook implements Hook {
  private final ConnectionState state;
  private final CallDepth depth;
  private final boolean ends;

  ConnectionHook(ConnectionState state, CallDepth depth, boolean ends) {
    this.state = state;
    this.depth = depth;
    this.ends = ends;
  }

  @Override
  public Object onEnter(Object self, Object argument) {
    if (depth.enter() > 1 || !(self instanceof HttpURLConnection connection)) {
      return null;
    }
    return state.startIfAbsent(connection);
  }

  @Override
  public Object onExit(Object call, Object self, Object result, Throwable thrown) {
    try {
      if (call == null) {
        return result;
      }
      HttpURLConnection connection = (HttpURLConnection) self;
      if (ends) {
        finish(connection, thrown);
      } else if (thrown != null) {
        // the connection failed before any response: that is the end of this request
        HttpClientHandler.Call removed = state.finish(connection);
        if (removed != null) {
          state.handler.end(removed, -1, thrown);
        }
      }
      return result;
    } finally {
      depth.exit();
    }
  }

  private void finish(HttpURLConnection connection, Throwable thrown) {
    HttpClientHandler.Call call = state.finish(connection);
    if (call == null) {
      return;
    }
    int status = -1;
    try {
      // nested inside our call depth: getResponseCode's own getInputStream is not traced again
      status = connection.getResponseCode();
    } catch (IOException | RuntimeException noResponse) {
      // no status line: the error is what we report
    }
    // a 4xx/5xx makes getInputStream throw; with a status that is a response, not a failure
    state.handler.end(call, status, status >= 100 ? null : thrown);
  }
}
