package io.picortex.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  @Test
  void systemPropertyWinsOverEnvironmentWhichWinsOverFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.properties");
    Files.writeString(file, "otel.service.name=from-file\notel.bsp.schedule.delay=7s\na.b=file\n");
    AgentConfig config =
        AgentConfig.of(
            Map.of("otel.service.name", "from-property", "otel.javaagent.configuration-file",
                file.toString()),
            Map.of("OTEL_SERVICE_NAME", "from-env", "A_B", "env"));
    assertThat(config.get("otel.service.name")).isEqualTo("from-property");
    assertThat(config.get("a.b")).isEqualTo("env");
    assertThat(config.getDuration("otel.bsp.schedule.delay", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void environmentNamesAreUpperCaseWithUnderscores() {
    assertThat(AgentConfig.environmentName("picortex.request-id.header"))
        .isEqualTo("PICORTEX_REQUEST_ID_HEADER");
  }

  @Test
  void badValueIsReportedWithKeyValueAndWhatIsAcceptedAndTheDefaultIsUsed() {
    AgentConfig config =
        AgentConfig.of(Map.of("otel.bsp.max.queue.size", "lots", "x.enabled", "yes"), Map.of());
    assertThat(config.getInt("otel.bsp.max.queue.size", 2048, 1, 100)).isEqualTo(2048);
    assertThat(config.getBoolean("x.enabled", true)).isTrue();
    assertThat(config.problems()).hasSize(2);
    AgentConfig.Problem first = config.problems().get(0);
    assertThat(first.message())
        .contains("otel.bsp.max.queue.size")
        .contains("\"lots\"")
        .contains("a whole number from 1 to 100")
        .contains("using 2048");
  }

  @Test
  void durationsAcceptOpenTelemetryUnitsAndRejectOthers() {
    assertThat(AgentConfig.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
    assertThat(AgentConfig.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(AgentConfig.parseDuration("3m")).isEqualTo(Duration.ofMinutes(3));
    assertThat(AgentConfig.parseDuration("1.5s")).isNull();
    assertThat(AgentConfig.parseDuration("soon")).isNull();
  }

  @Test
  void secretLookingValuesAreNotRepeatedInProblems() {
    AgentConfig config =
        AgentConfig.of(Map.of("otel.exporter.otlp.headers", "api-key"), Map.of());
    config.getMap("otel.exporter.otlp.headers");
    assertThat(config.problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).doesNotContain("api-key").contains("<redacted>"));
  }

  @Test
  void unreadableConfigurationFileIsAProblemNotAFailure() {
    AgentConfig config =
        AgentConfig.of(Map.of("otel.javaagent.configuration-file", "/nonexistent/x.properties"),
            Map.of());
    assertThat(config.problems()).singleElement()
        .satisfies(p -> assertThat(p.key()).isEqualTo("otel.javaagent.configuration-file"));
  }

  @Test
  void listsAndMapsAreTrimmedAndDecoded() {
    AgentConfig config =
        AgentConfig.of(
            Map.of("l", " a, ,b ", "m", "k1=v1, k2 = a%20b"), Map.of());
    assertThat(config.getList("l", List.of())).containsExactly("a", "b");
    assertThat(config.getMap("m")).containsEntry("k1", "v1").containsEntry("k2", "a b");
  }
}
