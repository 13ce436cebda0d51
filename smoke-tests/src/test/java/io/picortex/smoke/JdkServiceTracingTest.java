package io.picortex.smoke;

import static io.picortex.smoke.Spans.SETTLE;
import static io.picortex.smoke.Spans.childrenOf;
import static io.picortex.smoke.Spans.count;
import static io.picortex.smoke.Spans.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The plain-JDK service with the agent: what each kind of work looks like in the trace. */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class JdkServiceTracingTest {

  private final SmokeEnvironment env = SmokeEnvironment.get();
  private final OtlpReceiver receiver = env.receiver();

  static Stream<JavaHome> jdks() {
    return SmokeConfig.javaHomes();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void helloIsOneTraceOfServerHttpClientDatabaseAndProcessSpans(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/hello"));

    assertThat(response.status()).as(app.describe()).isEqualTo(200);
    ReceivedSpan server = serverSpan(jdk, app, "/api/hello", since);
    List<ReceivedSpan> trace =
        awaitTrace(
            jdk, server, since,
            "2 HTTP client spans, 2 downstream server spans, 2 DB spans and 1 process span",
            t ->
                count(t, ReceivedSpan::isHttpClient) >= 2
                    && count(t, s -> s.isServerFor("/api/downstream")) >= 2
                    && count(t, ReceivedSpan::isDb) >= 2
                    && count(t, ReceivedSpan::isProcess) >= 1,
            SETTLE);
    String dump = receiver.describe(trace, server.traceId());

    assertThat(server.name()).as(dump).isEqualTo("GET /api/hello");
    assertThat(server.isRoot()).as("no incoming traceparent, so a root span" + dump).isTrue();
    assertThat(server.attributes())
        .as(dump)
        .containsEntry("http.request.method", "GET")
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("url.path", "/api/hello")
        .containsEntry("url.scheme", "http")
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) app.port())
        .containsEntry("client.address", "127.0.0.1")
        .containsEntry("network.protocol.version", "1.1");

    List<ReceivedSpan> httpClients = filter(trace, ReceivedSpan::isHttpClient);
    assertThat(httpClients).as("one per call (HttpClient, HttpURLConnection)" + dump).hasSize(2);
    for (ReceivedSpan client : httpClients) {
      assertThat(client.isChildOf(server)).as("client span's parent" + dump).isTrue();
      assertThat(client.attributes())
          .as(dump)
          .containsEntry("http.request.method", "GET")
          .containsEntry("http.response.status_code", 200L);
      assertThat(String.valueOf(client.attribute("url.full"))).as(dump).endsWith("/api/downstream");
      assertThat(childrenOf(trace, client))
          .as("the downstream SERVER span continues the client span" + dump)
          .singleElement()
          .satisfies(downstream -> assertThat(downstream.isServerFor("/api/downstream")).isTrue());
    }

    List<ReceivedSpan> db = filter(trace, ReceivedSpan::isDb);
    assertThat(db).as("one span per execution" + dump).hasSize(2);
    for (ReceivedSpan query : db) {
      assertThat(query.isChildOf(server)).as("DB span's parent" + dump).isTrue();
      assertThat(query.attribute("db.system.name")).as("semconv well-known value" + dump).isEqualTo("h2database");
      assertThat(String.valueOf(query.attribute("db.query.text")))
          .as(dump)
          .contains("?")
          .doesNotContain("top-secret-literal");
    }
    assertThat(db)
        .extracting(s -> String.valueOf(s.attribute("db.query.text")))
        .as(dump)
        .anySatisfy(text -> assertThat(text).contains("SELECT text FROM greetings WHERE id = ?"))
        .anySatisfy(text -> assertThat(text).contains("FROM greetings WHERE text = ?"));

    List<ReceivedSpan> processes = filter(trace, ReceivedSpan::isProcess);
    assertThat(processes).as(dump).hasSize(1);
    ReceivedSpan process = processes.get(0);
    assertThat(process.isChildOf(server)).as("process span's parent" + dump).isTrue();
    assertThat(process.name()).as(dump).isEqualTo("sh");
    assertThat(process.attributes())
        .as(dump)
        .containsEntry("process.executable.name", "sh")
        .containsEntry("process.exit.code", 0L);
    assertThat(process.attribute("process.pid")).as(dump).isInstanceOf(Long.class);
    assertThat((Long) process.attribute("process.pid")).as(dump).isPositive();

    assertThat(trace)
        .as("all from the app's service" + dump)
        .allSatisfy(s -> assertThat(s.service()).isEqualTo(SmokeEnvironment.jdkServiceName(jdk)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void sqlLiteralsAndDatabaseCredentialsAreNeverExported(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();
    assertThat(Http.get(app.url("/api/hello")).status()).isEqualTo(200);
    ReceivedSpan server = serverSpan(jdk, app, "/api/hello", since);
    List<ReceivedSpan> trace =
        awaitTrace(
            jdk, server, since, "2 DB spans", t -> count(t, ReceivedSpan::isDb) >= 2, SETTLE);

    for (ReceivedSpan span : receiver.spansOf(SmokeEnvironment.jdkServiceName(jdk))) {
      assertThat(span.toString())
          .as("no literal or password in any exported span")
          .doesNotContain("top-secret-literal")
          .doesNotContain("pw-never-exported");
    }
    assertThat(trace).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void asyncCallbackMakesItsCallInTheCallersTrace(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/async"));

    assertThat(response.status()).as(app.describe()).isEqualTo(200);
    ReceivedSpan server = serverSpan(jdk, app, "/api/async", since);
    List<ReceivedSpan> trace =
        awaitTrace(
            jdk, server, since,
            "2 HTTP client spans (sendAsync and the send in its callback)",
            t -> count(t, ReceivedSpan::isHttpClient) >= 2,
            SETTLE);
    String dump = receiver.describe(trace, server.traceId());
    assertThat(filter(trace, ReceivedSpan::isHttpClient))
        .as(dump)
        .hasSize(2)
        .allSatisfy(client -> assertThat(client.isChildOf(server)).isTrue());
    assertThat(count(trace, s -> s.isServerFor("/api/downstream"))).as(dump).isEqualTo(2);
  }

  static Stream<Arguments> threadKinds() {
    return SmokeConfig.javaHomes()
        .flatMap(jdk -> Stream.of("pool", "forkjoin", "virtual").map(kind -> Arguments.of(jdk, kind)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("threadKinds")
  void callMadeOnAnotherThreadStaysInTheRequestsTrace(JavaHome jdk, String kind) {
    assumeThat(kind.equals("virtual") && jdk.feature() < 21)
        .as("virtual threads need JDK 21+")
        .isFalse();
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/executor?kind=" + kind));

    assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
    ReceivedSpan server = serverSpan(jdk, app, "/api/executor", since);
    List<ReceivedSpan> trace =
        awaitTrace(
            jdk, server, since,
            "an HTTP client span",
            t -> count(t, ReceivedSpan::isHttpClient) >= 1,
            SETTLE);
    assertThat(filter(trace, ReceivedSpan::isHttpClient))
        .as(receiver.describe(trace, server.traceId()))
        .singleElement()
        .satisfies(client -> assertThat(client.isChildOf(server)).isTrue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void httpsUrlConnectionCallIsOneClientSpan(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/https"));

    assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("https: secure downstream ok\n");
    ReceivedSpan server = serverSpan(jdk, app, "/api/https", since);
    List<ReceivedSpan> trace =
        awaitTrace(
            jdk, server, since,
            "an HTTPS client span continued by the HTTPS server",
            t -> count(t, ReceivedSpan::isHttpClient) >= 1 && count(t, s -> s.isServerFor("/api/downstream")) >= 1,
            SETTLE);
    String dump = receiver.describe(trace, server.traceId());
    List<ReceivedSpan> clients = filter(trace, ReceivedSpan::isHttpClient);
    assertThat(clients).as("HttpsURLConnection delegates to an inner connection: still one span" + dump).hasSize(1);
    ReceivedSpan client = clients.get(0);
    assertThat(client.isChildOf(server)).as(dump).isTrue();
    assertThat(String.valueOf(client.attribute("url.full"))).as(dump).startsWith("https://127.0.0.1:");
    assertThat(childrenOf(trace, client))
        .as("the HTTPS server continues the trace" + dump)
        .singleElement()
        .satisfies(s -> assertThat(s.isServerFor("/api/downstream")).isTrue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void childJvmWithTheAgentJoinsTheParentsTrace(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/spawn-java"));

    assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("child exit: 0\n");
    ReceivedSpan server = serverSpan(jdk, app, "/api/spawn-java", since);
    List<ReceivedSpan> trace =
        awaitTrace(
            jdk, server, since,
            "a process span with an HTTP client span (from the child JVM) under it",
            t ->
                filter(t, ReceivedSpan::isProcess).stream()
                    .anyMatch(p -> childrenOf(t, p).stream().anyMatch(ReceivedSpan::isHttpClient)),
            SETTLE);
    String dump = receiver.describe(trace, server.traceId());
    ReceivedSpan process = filter(trace, ReceivedSpan::isProcess).get(0);
    assertThat(process.isChildOf(server)).as(dump).isTrue();
    ReceivedSpan childCall =
        childrenOf(trace, process).stream().filter(ReceivedSpan::isHttpClient).findFirst().orElseThrow();
    assertThat(childrenOf(trace, childCall))
        .as("the parent service's SERVER span continues the child's call" + dump)
        .singleElement()
        .satisfies(s -> assertThat(s.isServerFor("/api/downstream")).isTrue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void handlerExceptionEndsTheServerSpanWithErrorAndTheException(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    assertThatThrownBy(() -> Http.getOrThrow(app.url("/api/throw")))
        .as("the JDK server closes the connection without an answer, as without the agent")
        .isInstanceOf(IOException.class);

    ReceivedSpan server = serverSpan(jdk, app, "/api/throw", since);
    assertThat(server.statusCode()).as(server.toString()).isEqualTo("ERROR");
    assertThat(server.events())
        .as(server.toString())
        .anySatisfy(
            event -> {
              assertThat(event.name()).isEqualTo("exception");
              assertThat(event.attributes())
                  .containsEntry("exception.type", "java.lang.RuntimeException")
                  .containsEntry("exception.message", "handler failed on purpose");
            });
    assertThat(Http.get(app.url("/api/downstream")).status())
        .as("the app goes on serving")
        .isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void exceptionsInsideTheAgentNeverReachTheApp(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);

    Http.Response response = Http.get(app.url("/api/broken"));

    assertThat(response.body()).as(app.describe()).isEqualTo("broken ok\n");
    assertThat(response.status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void childProcessGetsTraceparentOfItsProcessSpanAndTheRequestId(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/child-env"));

    assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
    Map<String, String> childEnv = variables(response.body());
    ReceivedSpan server = serverSpan(jdk, app, "/api/child-env", since);
    List<ReceivedSpan> trace =
        awaitTrace(
            jdk, server, since, "a process span", t -> count(t, ReceivedSpan::isProcess) >= 1, SETTLE);
    ReceivedSpan process = filter(trace, ReceivedSpan::isProcess).get(0);
    String dump = response.body() + receiver.describe(trace, server.traceId());

    assertThat(childEnv.get("TRACEPARENT"))
        .as(dump)
        .isEqualTo("00-" + server.traceId() + "-" + process.spanId() + "-01");
    assertThat(response.requestId()).as("X-Request-ID response header").isNotBlank();
    assertThat(childEnv.get("PICORTEX_REQUEST_ID")).as(dump).isEqualTo(response.requestId());
    assertThat(childEnv.get(SmokeEnvironment.INHERITED_VARIABLE))
        .as("the service's own environment, inherited")
        .isEqualTo(SmokeEnvironment.INHERITED_VALUE);
  }

  /**
   * A service started by a traced parent inherits that parent's TRACEPARENT. Its own children must
   * continue its spans, not the grandparent's: the inherited value is not the caller's, so it is
   * replaced for the start (and the environment-block shortcut is not taken, as the block would
   * then hold the variable twice).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void childOfAServiceStartedByATracedParentContinuesThisServicesSpanNotTheGrandparents(
      JavaHome jdk) {
    String inherited = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    String service = SmokeEnvironment.jdkServiceName(jdk) + "-traced-parent";
    try (AppProcess app =
        env.jdkService(jdk, "jdk-service-traced-parent-" + jdk)
            .agent(SmokeConfig.agentJar())
            .exportingTo(receiver, service)
            .environment("TRACEPARENT", inherited)
            .start()) {
      long since = Spans.now();
      Http.Response response = Http.get(app.url("/api/child-env"));

      assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
      String child = variables(response.body()).get("TRACEPARENT");
      ReceivedSpan server = Spans.awaitServerSpan(receiver, app, service, "/api/child-env", since);
      List<ReceivedSpan> trace = receiver.awaitTrace(server.traceId(), "a process span",
          t -> count(t, ReceivedSpan::isProcess) >= 1, Spans.ARRIVAL);
      ReceivedSpan process = filter(trace, ReceivedSpan::isProcess).get(0);
      assertThat(child).as(response.body())
          .isNotEqualTo(inherited)
          .isEqualTo("00-" + server.traceId() + "-" + process.spanId() + "-01");
    }
  }

  /**
   * A builder whose environment the app never asked for: our variables reach the child through
   * the JDK's environment block (the agent says so at debug level), next to everything the child
   * inherits, and the JVM's environment is not copied for it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void untouchedBuilderGetsOurVariablesThroughTheEnvironmentBlockAndKeepsWhatItInherits(
      JavaHome jdk) {
    try (AppProcess app =
        env.jdkService(jdk, "jdk-service-env-block-" + jdk)
            .agent(SmokeConfig.agentJar())
            .exportingTo(receiver, SmokeEnvironment.jdkServiceName(jdk) + "-env-block")
            .systemProperty("picortex.log.level", "debug")
            .start()) {
      Http.Response response = Http.get(app.url("/api/child-env"));

      assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
      Map<String, String> childEnv = variables(response.body());
      assertThat(childEnv.get("TRACEPARENT")).as(response.body()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
      assertThat(childEnv.get("PICORTEX_REQUEST_ID")).as(response.body()).isEqualTo(response.requestId());
      assertThat(childEnv.get(SmokeEnvironment.INHERITED_VARIABLE))
          .as(response.body())
          .isEqualTo(SmokeEnvironment.INHERITED_VALUE);
      assertThat(app.awaitStderrLine(
              line -> line.contains("through the JDK's environment block"), Duration.ofSeconds(10)))
          .as("the agent took the environment-block path" + app.describe())
          .isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void childProcessKeepsVariablesTheAppSetItself(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);

    Http.Response response = Http.get(app.url("/api/child-env-preset"));

    assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
    Map<String, String> childEnv = variables(response.body());
    assertThat(childEnv)
        .as(response.body())
        .containsEntry("TRACEPARENT", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .containsEntry("PICORTEX_REQUEST_ID", "set-by-the-app")
        .containsEntry(SmokeEnvironment.INHERITED_VARIABLE, SmokeEnvironment.INHERITED_VALUE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void agentDoesNotTraceItsOwnExports(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    // Two requests, each awaited: the export that delivered the first one has ended (and any span
    // it made been queued) before the second request's spans are exported.
    for (int i = 0; i < 2; i++) {
      long since = Spans.now();
      assertThat(Http.get(app.url("/api/downstream")).status()).isEqualTo(200);
      serverSpan(jdk, app, "/api/downstream", since);
    }
    String receiverAddress = "127.0.0.1:" + receiver.port();
    assertThat(receiver.spansOf(SmokeEnvironment.jdkServiceName(jdk)))
        .as("spans about the OTLP export itself")
        .noneSatisfy(
            s -> assertThat(String.valueOf(s.attribute("url.full"))).contains(receiverAddress))
        .noneSatisfy(s -> assertThat(s.attribute("url.path")).isEqualTo("/v1/traces"));
  }

  /**
   * The trace of {@code server} once {@code condition} holds. On failure, also lists spans of the
   * same service started since the request that landed in other traces: context that got lost.
   */
  private List<ReceivedSpan> awaitTrace(
      JavaHome jdk,
      ReceivedSpan server,
      long since,
      String description,
      java.util.function.Predicate<List<ReceivedSpan>> condition,
      java.time.Duration timeout) {
    try {
      return receiver.awaitTrace(server.traceId(), description, condition, timeout);
    } catch (AssertionError e) {
      List<ReceivedSpan> elsewhere =
          filter(
              receiver.spansOf(SmokeEnvironment.jdkServiceName(jdk)),
              s -> s.startEpochNanos() >= since && !s.traceId().equals(server.traceId()));
      if (elsewhere.isEmpty()) {
        throw e;
      }
      StringBuilder message = new StringBuilder(e.getMessage());
      message.append("\nspans started since the request but in OTHER traces (lost context?):");
      elsewhere.forEach(s -> message.append("\n  ").append(s));
      throw new AssertionError(message.toString(), e);
    }
  }

  private ReceivedSpan serverSpan(JavaHome jdk, AppProcess app, String path, long since) {
    return Spans.awaitServerSpan(receiver, app, SmokeEnvironment.jdkServiceName(jdk), path, since);
  }

  /** NAME=value lines as printed by the child process. */
  private static Map<String, String> variables(String output) {
    Map<String, String> variables = new LinkedHashMap<>();
    Arrays.stream(output.split("\n"))
        .filter(line -> line.contains("="))
        .forEach(line -> variables.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
    return variables;
  }
}
