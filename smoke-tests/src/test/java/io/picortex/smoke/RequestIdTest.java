package io.picortex.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request ID: a valid incoming {@code X-Request-ID} (1-128 of {@code [A-Za-z0-9._:-]}) is
 * kept, anything else is replaced by a new ULID; it is a response header and a span attribute.
 */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class RequestIdTest {

  private static final String ATTRIBUTE = "picortex.request_id";

  private final SmokeEnvironment env = SmokeEnvironment.get();
  private final OtlpReceiver receiver = env.receiver();

  static Stream<JavaHome> jdks() {
    return SmokeConfig.javaHomes();
  }

  static Stream<Arguments> validIds() {
    List<Named<String>> ids =
        List.of(
            Named.of("dashes and digits", "abc-123"),
            Named.of("every allowed punctuation", "A.b_c:d-9"),
            Named.of("one character", "x"),
            Named.of("128 characters", "r".repeat(128)));
    return SmokeConfig.javaHomes().flatMap(jdk -> ids.stream().map(id -> Arguments.of(jdk, id)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("validIds")
  void validIncomingRequestIdIsEchoedAndRecorded(JavaHome jdk, String requestId) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/echo"), "X-Request-ID", requestId);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.requestId()).as("X-Request-ID response header").isEqualTo(requestId);
    assertThat(serverSpan(jdk, app, since).attributes()).containsEntry(ATTRIBUTE, requestId);
  }

  static Stream<Arguments> invalidIds() {
    List<Named<String>> ids =
        List.of(
            Named.of("empty", ""),
            Named.of("129 characters", "r".repeat(129)),
            Named.of("200 characters", "r".repeat(200)),
            Named.of("a space", "has space"),
            Named.of("a slash", "slash/inside"),
            Named.of("a semicolon", "semi;colon"),
            Named.of("a quote", "quote\"inside"),
            Named.of("markup", "<script>"));
    return SmokeConfig.javaHomes().flatMap(jdk -> ids.stream().map(id -> Arguments.of(jdk, id)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("invalidIds")
  void invalidIncomingRequestIdIsReplacedByANewUlid(JavaHome jdk, String requestId) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response response = Http.get(app.url("/api/echo"), "X-Request-ID", requestId);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.requestId())
        .as("X-Request-ID response header")
        .matches(Spans.ULID)
        .isNotEqualTo(requestId);
    assertThat(response.headers().get("x-request-id")).as("one value only").hasSize(1);
    assertThat(serverSpan(jdk, app, since).attributes()).containsEntry(ATTRIBUTE, response.requestId());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void requestWithoutIdGetsAFreshUlidEachTime(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    long since = Spans.now();

    Http.Response first = Http.get(app.url("/api/echo"));
    ReceivedSpan firstSpan = serverSpan(jdk, app, since);
    long secondSince = Spans.now();
    Http.Response second = Http.get(app.url("/api/echo"));
    ReceivedSpan secondSpan = serverSpan(jdk, app, secondSince);

    assertThat(first.requestId()).matches(Spans.ULID);
    assertThat(second.requestId()).matches(Spans.ULID).isNotEqualTo(first.requestId());
    assertThat(firstSpan.attributes()).containsEntry(ATTRIBUTE, first.requestId());
    assertThat(secondSpan.attributes()).containsEntry(ATTRIBUTE, second.requestId());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void failingResponseStillCarriesTheRequestId(JavaHome jdk) {
    AppProcess app = env.jdkServiceWithAgent(jdk);

    Http.Response echoed = Http.get(app.url("/api/fail"), "X-Request-ID", "failing-request-1");
    Http.Response minted = Http.get(app.url("/api/fail"));

    assertThat(echoed.status()).isEqualTo(500);
    assertThat(echoed.body()).isEqualTo("failure body\n");
    assertThat(echoed.requestId()).isEqualTo("failing-request-1");
    assertThat(minted.status()).isEqualTo(500);
    assertThat(minted.requestId()).matches(Spans.ULID);
  }

  private ReceivedSpan serverSpan(JavaHome jdk, AppProcess app, long since) {
    return Spans.awaitServerSpan(
        receiver, app, SmokeEnvironment.jdkServiceName(jdk), "/api/echo", since);
  }
}
