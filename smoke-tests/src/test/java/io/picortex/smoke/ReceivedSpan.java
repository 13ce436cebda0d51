package io.picortex.smoke;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One span as it arrived over OTLP, flattened with its resource's service name. */
record ReceivedSpan(
    String service,
    Map<String, Object> resource,
    String scope,
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    Kind kind,
    long startEpochNanos,
    long endEpochNanos,
    Map<String, Object> attributes,
    String statusCode,
    String statusMessage,
    List<Event> events) {

  enum Kind {
    UNSPECIFIED,
    INTERNAL,
    SERVER,
    CLIENT,
    PRODUCER,
    CONSUMER
  }

  record Event(String name, Map<String, Object> attributes) {}

  Object attribute(String key) {
    return attributes.get(key);
  }

  boolean hasAttribute(String key, Object value) {
    return Objects.equals(attributes.get(key), value);
  }

  boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  boolean isChildOf(ReceivedSpan parent) {
    return traceId.equals(parent.traceId) && parentSpanId.equals(parent.spanId);
  }

  boolean isServer() {
    return kind == Kind.SERVER;
  }

  boolean isServerFor(String path) {
    return kind == Kind.SERVER && path.equals(attributes.get("url.path"));
  }

  /** An outgoing HTTP call. */
  boolean isHttpClient() {
    return kind == Kind.CLIENT && attributes.containsKey("http.request.method");
  }

  /** A JDBC execution. */
  boolean isDb() {
    return kind == Kind.CLIENT && attributes.containsKey("db.system.name");
  }

  /** The start of a child process. */
  boolean isProcess() {
    return kind == Kind.CLIENT
        && (attributes.containsKey("process.pid")
            || attributes.containsKey("process.executable.name"));
  }

  @Override
  public String toString() {
    return kind
        + " '"
        + name
        + "' service="
        + service
        + " trace="
        + traceId
        + " span="
        + spanId
        + " parent="
        + (parentSpanId.isEmpty() ? "-" : parentSpanId)
        + " status="
        + statusCode
        + (statusMessage.isEmpty() ? "" : "(" + statusMessage + ")")
        + " "
        + attributes
        + (events.isEmpty() ? "" : " events=" + events);
  }
}
