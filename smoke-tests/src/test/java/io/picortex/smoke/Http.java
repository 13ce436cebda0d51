package io.picortex.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Plain HTTP from the test JVM (no agent here, so java.net.http is used freely). */
final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private Http() {}

  /** A response: status, headers keyed in lower case, body as text. */
  record Response(int status, Map<String, List<String>> headers, String body) {
    Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    String requestId() {
      return header("X-Request-ID").orElse(null);
    }
  }

  /** GET with header name/value pairs. */
  static Response get(String url, String... headerPairs) {
    try {
      return send(request(url, headerPairs).GET().build());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + " failed", e);
    }
  }

  /** GET that may fail at the connection level (the server closed it without an answer). */
  static Response getOrThrow(String url, String... headerPairs) throws IOException {
    return send(request(url, headerPairs).GET().build());
  }

  static Response post(String url, String body, String... headerPairs) {
    try {
      return send(request(url, headerPairs).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + url + " failed", e);
    }
  }

  private static HttpRequest.Builder request(String url, String... headerPairs) {
    if (headerPairs.length % 2 != 0) {
      throw new IllegalArgumentException("header names and values come in pairs");
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT);
    for (int i = 0; i < headerPairs.length; i += 2) {
      builder.header(headerPairs[i], headerPairs[i + 1]);
    }
    return builder;
  }

  private static Response send(HttpRequest request) throws IOException {
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      Map<String, List<String>> headers = new TreeMap<>();
      response
          .headers()
          .map()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      return new Response(response.statusCode(), headers, response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
