package io.picortex.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configuration as users write it: the standard otel.* names as system properties, environment
 * variables and a file; a bad value names the key, the value and what is accepted, and only the part
 * it concerns falls back; strict mode stops start-up instead.
 */
@ExtendWith(SmokeEnvironment.Lifecycle.class)
class ConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final SmokeEnvironment env = SmokeEnvironment.get();

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void badValueIsOneLineNamingKeyValueAndAcceptedAndTheAppRunsTraced(JavaHome jdk) {
    String service = "bad-sampler-" + jdk;
    try (AppProcess app =
        env.jdkService(jdk, service)
            .agent(SmokeConfig.agentJar())
            .exportingTo(env.receiver(), service)
            .systemProperty("otel.traces.sampler", "sometimes")
            .start()) {
      assertThat(Http.get(app.url("/api/downstream")).status()).isEqualTo(200);
      env.receiver().awaitSpan("a server span of " + service,
          s -> s.service().equals(service) && s.isServer(), WAIT);
      List<String> lines = picortexLines(app.stderrLines());
      assertThat(lines).as(app.describe()).hasSize(1);
      Map<String, Object> json = MiniJson.parseObject(lines.get(0).trim());
      assertThat(json).containsEntry("level", "ERROR");
      assertThat(String.valueOf(json.get("message")))
          .contains("otel.traces.sampler")
          .contains("sometimes")
          .contains("parentbased_always_on")
          .contains("using parentbased_always_on");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void strictModeStopsStartUpOnABadValue(JavaHome jdk) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        jdk.java().toString(),
        "-javaagent:" + SmokeConfig.agentJar(),
        "-Dpicortex.strict=true",
        "-Dotel.traces.sampler=sometimes",
        "-Dport=0",
        "-cp",
        SmokeConfig.jdkServiceClassPath().stream().map(Path::toString)
            .collect(Collectors.joining(java.io.File.pathSeparator)),
        SmokeConfig.JDK_SERVICE_MAIN));
    Path output = Files.createTempFile(env.workDirectory(), "strict", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM stops by itself").isTrue();
      String text = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(text).isNotZero();
      assertThat(text).contains("picortex.strict").contains("otel.traces.sampler")
          .doesNotContain("LISTENING");
    } finally {
      process.destroyForcibly();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void serviceNameComesFromEnvironmentVariableAndTheFileFillsTheRest(JavaHome jdk)
      throws IOException {
    Path file = Files.createTempFile(env.workDirectory(), "agent", ".properties");
    Files.writeString(file, "otel.service.name=from-file-" + jdk + "\n"
        + "otel.resource.attributes=deployment.environment.name=smoke\n"
        + "otel.instrumentation.jdbc.enabled=false\n");
    String service = "from-env-" + jdk;
    try (AppProcess app =
        env.jdkService(jdk, service)
            .agent(SmokeConfig.agentJar())
            .systemProperty("otel.exporter.otlp.endpoint", env.receiver().endpoint())
            .systemProperty("otel.bsp.schedule.delay", "100")
            .systemProperty("otel.javaagent.configuration-file", file.toString())
            .environment("OTEL_SERVICE_NAME", service)
            .start()) {
      assertThat(Http.get(app.url("/api/hello")).status()).isEqualTo(200);
      ReceivedSpan server = env.receiver().awaitSpan("the server span of " + service,
          s -> s.service().equals(service) && s.isServerFor("/api/hello"), WAIT);
      assertThat(server.resource()).containsEntry("deployment.environment.name", "smoke");
      List<ReceivedSpan> trace =
          env.receiver().awaitTrace(server.traceId(), "the process span of /api/hello",
              all -> all.stream().anyMatch(ReceivedSpan::isProcess), WAIT);
      assertThat(trace).as("jdbc was disabled in the file").noneMatch(ReceivedSpan::isDb);
      assertThat(env.receiver().spansOf("from-file-" + jdk)).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.picortex.smoke.SmokeConfig#javaHomes")
  void disabledAgentAddsNothing(JavaHome jdk) {
    String service = "disabled-" + jdk;
    try (AppProcess app =
        env.jdkService(jdk, service)
            .agent(SmokeConfig.agentJar())
            .exportingTo(env.receiver(), service)
            .systemProperty("otel.javaagent.enabled", "false")
            .start()) {
      Http.Response response = Http.get(app.url("/api/child-env"));
      assertThat(response.requestId()).isNull();
      assertThat(response.body().lines()).as(response.body()).contains("TRACEPARENT=");
      assertThat(picortexLines(app.stderrLines())).isEmpty();
    }
  }

  private static List<String> picortexLines(List<String> lines) {
    return lines.stream().filter(l -> l.contains("picortex")).collect(Collectors.toList());
  }
}
