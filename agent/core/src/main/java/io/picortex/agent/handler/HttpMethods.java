package io.picortex.agent.handler;

/** HTTP method names as the semantic conventions want them: known methods, else {@code _OTHER}. */
final class HttpMethods {
  static final String OTHER = "_OTHER";

  private HttpMethods() {}

  static String normalize(String method) {
    if (method == null) {
      return OTHER;
    }
    return switch (method) {
      case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT" -> method;
      default -> OTHER;
    };
  }
}
