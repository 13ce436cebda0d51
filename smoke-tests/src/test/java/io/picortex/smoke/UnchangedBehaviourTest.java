package io.picortex.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same requests to the same service with and without the agent get the same answers: status,
 * body byte for byte, and headers apart from the agent's X-Request-ID and the Date.
 */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class UnchangedBehaviourTest {

  private static final Set<String> HEADERS_ALLOWED_TO_DIFFER = Set.of("x-request-id", "date");

  private final SmokeEnvironment env = SmokeEnvironment.get();

  /** A request to send to both apps; {@code body} null for GET. */
  record Request(String path, String body) {}

  static Stream<Arguments> requests() {
    List<Named<Request>> requests =
        List.of(
            get("/api/hello"),
            get("/api/downstream"),
            get("/api/headers"),
            get("/api/fail"),
            get("/api/async"),
            get("/api/executor?kind=pool"),
            get("/api/executor?kind=forkjoin"),
            get("/api/executor?kind=virtual"),
            get("/api/https"),
            get("/api/child-env-preset"),
            get("/api/spawn-java"),
            get("/api/broken"),
            get("/api/does-not-exist"),
            Named.of("POST /api/echo", new Request("/api/echo", "a body the agent must not eat\n")));
    return SmokeConfig.javaHomes().flatMap(jdk -> requests.stream().map(r -> Arguments.of(jdk, r)));
  }

  private static Named<Request> get(String path) {
    return Named.of("GET " + path, new Request(path, null));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("requests")
  void responseIsTheSameWithAndWithoutTheAgent(JavaHome jdk, Request request) {
    AppProcess plain = env.jdkServiceWithoutAgent(jdk);
    AppProcess traced = env.jdkServiceWithAgent(jdk);

    Http.Response expected = send(plain, request);
    Http.Response actual = send(traced, request);

    String context = "without agent:\n" + expected + "\nwith agent:\n" + actual + traced.describe();
    assertThat(actual.status()).as(context).isEqualTo(expected.status());
    assertThat(normalise(actual.body(), traced))
        .as(context)
        .isEqualTo(normalise(expected.body(), plain));
    assertThat(comparableHeaders(actual)).as(context).isEqualTo(comparableHeaders(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void throwingHandlerClosesTheConnectionWithAndWithoutTheAgent(JavaHome jdk) {
    AppProcess plain = env.jdkServiceWithoutAgent(jdk);
    AppProcess traced = env.jdkServiceWithAgent(jdk);

    assertThatThrownBy(() -> Http.getOrThrow(plain.url("/api/throw"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Http.getOrThrow(traced.url("/api/throw"))).isInstanceOf(IOException.class);
    assertThat(Http.get(traced.url("/api/downstream")).body()).isEqualTo("downstream ok\n");
  }

  private static Http.Response send(AppProcess app, Request request) {
    return request.body() == null
        ? Http.get(app.url(request.path()))
        : Http.post(app.url(request.path()), request.body());
  }

  /** The only legitimate difference in a body: the app's own port (e.g. in a Host header). */
  private static String normalise(String body, AppProcess app) {
    return body.replace("127.0.0.1:" + app.port(), "127.0.0.1:<port>");
  }

  private static Map<String, List<String>> comparableHeaders(Http.Response response) {
    Map<String, List<String>> headers = new TreeMap<>(response.headers());
    headers.keySet().removeAll(HEADERS_ALLOWED_TO_DIFFER);
    return headers;
  }
}
