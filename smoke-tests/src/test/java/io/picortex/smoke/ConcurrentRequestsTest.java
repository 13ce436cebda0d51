package io.picortex.smoke;

import static io.picortex.smoke.Spans.SETTLE;
import static io.picortex.smoke.Spans.count;
import static io.picortex.smoke.Spans.filter;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests served at the same time each keep their own trace and request ID: no span or ID of
 * one request ends up in another's.
 */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class ConcurrentRequestsTest {

  private static final int CLIENTS = 4;
  private static final int REQUESTS_PER_CLIENT = 8;

  private final SmokeEnvironment env = SmokeEnvironment.get();
  private final OtlpReceiver receiver = env.receiver();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void concurrentRequestsEachGetTheirOwnTraceAndRequestId(JavaHome jdk) throws Exception {
    AppProcess app = env.jdkServiceWithAgent(jdk);
    String service = SmokeEnvironment.jdkServiceName(jdk);
    String expectedBody = Http.get(env.jdkServiceWithoutAgent(jdk).url("/api/hello")).body();
    String run = TraceContextTest.randomHex(4);

    List<String> requestIds = new ArrayList<>();
    List<Future<Http.Response>> responses = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      for (int i = 0; i < CLIENTS * REQUESTS_PER_CLIENT; i++) {
        String requestId = "concurrent-" + run + "-" + i;
        requestIds.add(requestId);
        responses.add(clients.submit(() -> Http.get(app.url("/api/hello"), "X-Request-ID", requestId)));
      }
      for (int i = 0; i < responses.size(); i++) {
        Http.Response response = responses.get(i).get(2, TimeUnit.MINUTES);
        assertThat(response.status()).as(app.describe()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expectedBody);
        assertThat(response.requestId()).isEqualTo(requestIds.get(i));
      }
    } finally {
      clients.shutdownNow();
    }

    for (String requestId : requestIds) {
      ReceivedSpan server =
          Spans.awaitSpan(
              receiver,
              app,
              service,
              "the SERVER span of request " + requestId,
              s -> s.isServerFor("/api/hello") && requestId.equals(s.attribute("picortex.request_id")));
      List<ReceivedSpan> trace =
          receiver.awaitTrace(
              server.traceId(),
              "the request's 2 HTTP client, 2 DB and 1 process spans",
              t ->
                  count(t, ReceivedSpan::isHttpClient) >= 2
                      && count(t, ReceivedSpan::isDb) >= 2
                      && count(t, ReceivedSpan::isProcess) >= 1,
              SETTLE);
      String dump = receiver.describe(trace, server.traceId());
      assertThat(filter(trace, s -> s.isServerFor("/api/hello"))).as(dump).containsExactly(server);
      assertThat(filter(trace, ReceivedSpan::isDb))
          .as("this request's own 2 queries, no other's" + dump)
          .hasSize(2)
          .allSatisfy(s -> assertThat(s.isChildOf(server)).isTrue());
      assertThat(filter(trace, ReceivedSpan::isProcess))
          .as("this request's own child process, no other's" + dump)
          .singleElement()
          .satisfies(s -> assertThat(s.isChildOf(server)).isTrue());
      assertThat(filter(trace, s -> s.isServerFor("/api/downstream")))
          .as("this request's own 2 downstream calls, carrying its request ID" + dump)
          .hasSize(2)
          .allSatisfy(s -> assertThat(s.attribute("picortex.request_id")).isEqualTo(requestId));
    }
  }
}
