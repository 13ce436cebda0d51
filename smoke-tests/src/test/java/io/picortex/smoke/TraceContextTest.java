package io.picortex.smoke;

import static io.picortex.smoke.Spans.SETTLE;
import static io.picortex.smoke.Spans.count;
import static io.picortex.smoke.Spans.filter;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** W3C trace context in and out of the plain-JDK service with the agent. */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class TraceContextTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PRESET_TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final SmokeEnvironment env = SmokeEnvironment.get();
  private final OtlpReceiver receiver = env.receiver();

  static Stream<JavaHome> jdks() {
    return SmokeConfig.javaHomes();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void validIncomingTraceparentIsContinued(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    String traceId = randomHex(16);
    String parentId = randomHex(8);

    Http.Response response =
        Http.get(app.url("/api/headers"), "traceparent", "00-" + traceId + "-" + parentId + "-01");

    assertThat(response.status()).isEqualTo(200);
    ReceivedSpan server =
        Spans.awaitSpan(
            receiver,
            app,
            SmokeEnvironment.jdkServiceName(jdk),
            "the SERVER span of trace " + traceId,
            s -> s.traceId().equals(traceId) && s.isServerFor("/api/headers"));
    assertThat(server.parentSpanId()).isEqualTo(parentId);
    assertThat(server.spanId()).matches(Spans.SPAN_ID).isNotEqualTo(parentId);
  }

  static Stream<Arguments> invalidTraceparents() {
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parent = "00f067aa0ba902b7";
    List<Named<String>> invalid =
        List.of(
            Named.of("all-zero trace id", "00-00000000000000000000000000000000-" + parent + "-01"),
            Named.of("all-zero parent id", "00-" + trace + "-0000000000000000-01"),
            Named.of("upper case", "00-" + trace.toUpperCase() + "-" + parent.toUpperCase() + "-01"),
            Named.of("version ff", "ff-" + trace + "-" + parent + "-01"),
            Named.of("short trace id", "00-" + trace.substring(2) + "-" + parent + "-01"),
            Named.of("not hex", "00-" + trace.replace('a', 'x') + "-" + parent + "-01"),
            Named.of("garbage", "not-a-traceparent"));
    return SmokeConfig.javaHomes().flatMap(jdk -> invalid.stream().map(v -> Arguments.of(jdk, v)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("invalidTraceparents")
  void invalidIncomingTraceparentIsIgnoredAndANewTraceStarts(JavaHome jdk, String traceparent) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/headers"), "traceparent", traceparent);

    assertThat(response.status()).isEqualTo(200);
    ReceivedSpan server =
        Spans.awaitServerSpan(
            receiver, app, SmokeEnvironment.jdkServiceName(jdk), "/api/headers", since);
    assertThat(server.isRoot()).as(server.toString()).isTrue();
    assertThat(server.traceId())
        .as(server.toString())
        .matches(Spans.TRACE_ID)
        .isNotEqualTo("00000000000000000000000000000000");
    assertThat(traceparent.toLowerCase()).doesNotContain(server.traceId());
  }

  static Stream<Arguments> outgoingClients() {
    return SmokeConfig.javaHomes()
        .flatMap(jdk -> Stream.of("httpclient", "urlconnection").map(via -> Arguments.of(jdk, via)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("outgoingClients")
  void outgoingCallCarriesTraceContextBaggageAndRequestId(JavaHome jdk, String via) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    String traceId = randomHex(16);
    String requestId = "ctx-" + randomHex(6);

    Http.Response response =
        Http.get(
            app.url("/api/proxy-headers?via=" + via),
            "traceparent", "00-" + traceId + "-" + randomHex(8) + "-01",
            "tracestate", "smoke=1,other=two",
            "baggage", "user=alice",
            "X-Request-ID", requestId);

    assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
    Map<String, String> seen = headerLines(response.body());
    ReceivedSpan server =
        Spans.awaitSpan(
            receiver,
            app,
            SmokeEnvironment.jdkServiceName(jdk),
            "the SERVER span of trace " + traceId,
            s -> s.traceId().equals(traceId) && s.isServerFor("/api/proxy-headers"));
    List<ReceivedSpan> trace =
        receiver.awaitTrace(
            traceId,
            "an HTTP client span under the SERVER span",
            t -> Spans.childrenOf(t, server).stream().anyMatch(ReceivedSpan::isHttpClient),
            SETTLE);
    ReceivedSpan client =
        Spans.childrenOf(trace, server).stream().filter(ReceivedSpan::isHttpClient).findFirst().orElseThrow();
    String dump = "downstream saw:\n" + response.body() + receiver.describe(trace, traceId);

    assertThat(seen).as(dump).containsEntry("traceparent", "00-" + traceId + "-" + client.spanId() + "-01");
    assertThat(seen).as(dump).containsEntry("tracestate", "smoke=1,other=two");
    assertThat(seen.get("baggage")).as(dump).contains("user=alice");
    assertThat(seen).as(dump).containsEntry("x-request-id", requestId);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("outgoingClients")
  void outgoingHeadersTheAppSetItselfAreLeftAlone(JavaHome jdk, String via) {
    AppProcess app = env.jdkServiceWithAgent(jdk);

    Http.Response response =
        Http.get(
            app.url("/api/proxy-headers?preset=true&via=" + via),
            "traceparent", "00-" + randomHex(16) + "-" + randomHex(8) + "-01",
            "X-Request-ID", "incoming-id");

    assertThat(response.status()).as(response.body() + app.describe()).isEqualTo(200);
    Map<String, String> seen = headerLines(response.body());
    assertThat(seen)
        .as("downstream saw:\n" + response.body())
        .containsEntry("traceparent", PRESET_TRACEPARENT)
        .containsEntry("x-request-id", "set-by-the-app");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void serverSpanWithoutIncomingContextIsARootSpanWithAValidTraceId(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    assertThat(Http.get(app.url("/api/headers")).status()).isEqualTo(200);

    ReceivedSpan server =
        Spans.awaitServerSpan(receiver, app, SmokeEnvironment.jdkServiceName(jdk), "/api/headers", since);
    assertThat(server.isRoot()).isTrue();
    assertThat(server.traceId()).matches(Spans.TRACE_ID);
    assertThat(server.spanId()).matches(Spans.SPAN_ID);
    assertThat(count(receiver.trace(server.traceId()), ReceivedSpan::isServer)).isEqualTo(1);
  }

  /** name: value lines as returned by /api/headers, names in lower case. */
  static Map<String, String> headerLines(String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        headers.put(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    return headers;
  }

  static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
