package io.picortex.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.picortex.agent.config.AgentConfig;
import io.picortex.agent.trace.LightTracer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code picortex.tracer}: the agent's light tracer by default, the SDK's when asked for. */
class TracerChoiceTest {

  private static TelemetrySetup.Telemetry create(Map<String, String> properties) {
    return TelemetrySetup.create(AgentConfig.of(properties, Map.of()), Map.of());
  }

  @Test
  void theLightTracerIsTheDefault() {
    TelemetrySetup.Telemetry telemetry = create(Map.of());
    assertThat(telemetry.tracing().tracer()).isInstanceOf(LightTracer.class);
    Span span = telemetry.tracing().tracer().spanBuilder("s").startSpan();
    assertThat(span.isRecording()).isTrue();
    span.end();
    telemetry.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void sdkSelectsTheOpenTelemetrySdkTracer() {
    TelemetrySetup.Telemetry telemetry = create(Map.of("picortex.tracer", "SDK"));
    assertThat(telemetry.tracing().tracer().getClass().getName())
        .startsWith("io.opentelemetry.sdk.trace.");
    telemetry.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void anUnknownValueIsReportedWithKeyValueAndWhatIsAcceptedAndTheLightTracerIsUsed() {
    AgentConfig config = AgentConfig.of(Map.of("picortex.tracer", "fast"), Map.of());
    TelemetrySetup.Telemetry telemetry = TelemetrySetup.create(config, Map.of());
    assertThat(telemetry.tracing().tracer()).isInstanceOf(LightTracer.class);
    assertThat(config.problems()).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo("picortex.tracer");
      assertThat(p.value()).isEqualTo("fast");
      assertThat(p.accepted()).isEqualTo("light or sdk");
    });
    telemetry.shutdown(Duration.ofSeconds(1));
  }
}
