package io.picortex.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.picortex.agent.config.AgentConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code otel.bsp.*} settings both batch processors (ours and the SDK's) are built with. */
class BatchSettingsTest {

  @Test
  void theSdksDefaultsWhenNothingIsSet() {
    AgentConfig config = AgentConfig.of(Map.of(), Map.of());
    TelemetrySetup.BatchSettings settings = TelemetrySetup.batchSettings(config);
    assertThat(settings).isEqualTo(new TelemetrySetup.BatchSettings(
        Duration.ofSeconds(5), 2048, 512, Duration.ofSeconds(30)));
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void aBatchLargerThanTheQueueIsReportedWithBothValuesAndCutToTheQueueSize() {
    AgentConfig config = AgentConfig.of(
        Map.of("otel.bsp.max.queue.size", "100", "otel.bsp.max.export.batch.size", "500",
            "otel.bsp.schedule.delay", "250ms"), Map.of());
    TelemetrySetup.BatchSettings settings = TelemetrySetup.batchSettings(config);

    assertThat(settings.queue()).isEqualTo(100);
    assertThat(settings.batch()).isEqualTo(100);
    assertThat(settings.delay()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.problems()).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo("otel.bsp.max.export.batch.size");
      assertThat(p.value()).isEqualTo("500");
      assertThat(p.accepted()).isEqualTo("at most otel.bsp.max.queue.size (100)");
      assertThat(p.consequence()).isEqualTo("using 100");
    });
  }

  @Test
  void withTwoExportersABadSettingIsReportedOnce() {
    AgentConfig config = AgentConfig.of(
        Map.of("otel.traces.exporter", "console,console", "otel.bsp.max.queue.size", "10",
            "otel.bsp.max.export.batch.size", "20"), Map.of());
    TelemetrySetup.Telemetry telemetry = TelemetrySetup.create(config, Map.of());
    try {
      assertThat(telemetry.exporters()).hasSize(2);
      assertThat(config.problems())
          .filteredOn(p -> p.key().equals("otel.bsp.max.export.batch.size"))
          .hasSize(1);
    } finally {
      telemetry.shutdown(Duration.ofSeconds(1));
    }
  }
}
