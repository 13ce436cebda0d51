package io.picortex.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exporter never holds the app up: with an OTLP endpoint that refuses or never answers,
 * requests are as fast as usual and the JVM still ends promptly; with a working one, spans still
 * queued at shutdown are sent.
 */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class ExportTroubleTest {

  private static final int REQUESTS = 20;
  private static final Duration SHUTDOWN = Duration.ofSeconds(30);

  private final SmokeEnvironment env = SmokeEnvironment.get();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void endpointThatNeverAnswersSlowsNeitherRequestsNorShutdown(JavaHome jdk) throws IOException {
    try (SilentEndpoint silent = new SilentEndpoint();
        AppProcess app = appExportingTo(jdk, "silent-endpoint-" + jdk, silent.url())) {
      assertRequestsComplete(app);
      assertThat(silent.connections()).as("the agent did try to export").isPositive();
      app.stopGracefully(SHUTDOWN);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void endpointThatRefusesConnectionsSlowsNeitherRequestsNorShutdown(JavaHome jdk) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    try (AppProcess app =
        appExportingTo(jdk, "refused-endpoint-" + jdk, "http://127.0.0.1:" + closedPort)) {
      assertRequestsComplete(app);
      app.stopGracefully(SHUTDOWN);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void spansStillQueuedAtShutdownAreExported(JavaHome jdk) {
    String service = "flush-at-shutdown-" + jdk;
    try (AppProcess app =
        env.jdkService(jdk, service)
            .agent(SmokeConfig.agentJar())
            .exportingTo(env.receiver(), service)
            .systemProperty("otel.bsp.schedule.delay", "600000")
            .start()) {
      long since = Spans.now();
      assertThat(Http.get(app.url("/api/downstream")).status()).isEqualTo(200);

      app.stopGracefully(SHUTDOWN);

      Spans.awaitServerSpan(env.receiver(), app, service, "/api/downstream", since);
    }
  }

  private AppProcess appExportingTo(JavaHome jdk, String service, String endpoint) {
    return env.jdkService(jdk, service)
        .agent(SmokeConfig.agentJar())
        .systemProperty("otel.service.name", service)
        .systemProperty("otel.exporter.otlp.endpoint", endpoint)
        .systemProperty("otel.bsp.schedule.delay", "100")
        // far longer than the test's HTTP client waits: a request path that ever waited on the
        // exporter would hang, so requests completing at all is the proof (no clock involved)
        .systemProperty("otel.exporter.otlp.timeout", "10m")
        .start();
  }

  /** Every request completes (the HTTP client gives up long before the export timeout). */
  private static void assertRequestsComplete(AppProcess app) {
    for (int i = 0; i < REQUESTS; i++) {
      Http.Response response = Http.get(app.url("/api/hello"));
      assertThat(response.status()).as("request " + i + app.describe()).isEqualTo(200);
    }
  }

  /** Accepts connections and never reads or answers: the worst kind of collector. */
  private static final class SilentEndpoint implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    SilentEndpoint() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      Thread acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    accepted.add(server.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "silent-otlp-endpoint");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    int connections() {
      return accepted.size();
    }

    @Override
    public void close() {
      try {
        server.close();
        for (Socket socket : accepted) {
          socket.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
