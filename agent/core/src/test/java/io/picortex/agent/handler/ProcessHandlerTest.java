package io.picortex.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessHandlerTest {

  @Test
  void propagationKeysBecomeTheirConventionalVariableNames() {
    assertThat(ProcessHandler.environmentName("traceparent")).isEqualTo("TRACEPARENT");
    assertThat(ProcessHandler.environmentName("tracestate")).isEqualTo("TRACESTATE");
    assertThat(ProcessHandler.environmentName("baggage")).isEqualTo("BAGGAGE");
    assertThat(ProcessHandler.environmentName("x-b3-traceid")).isEqualTo("X_B3_TRACEID");
    assertThat(ProcessHandler.environmentName("ünï.code")).isEqualTo("_N__CODE");
    assertThat(ProcessHandler.environmentName("traceparent"))
        .as("computed once, then the same name per process start")
        .isSameAs(ProcessHandler.environmentName("traceparent"));
    String configured = "PICORTEX_REQUEST_ID";
    assertThat(ProcessHandler.environmentName(configured)).isSameAs(configured);
  }

  @Test
  void theSpanIsNamedAfterTheExecutableWithoutItsDirectory() {
    assertThat(ProcessHandler.executableName(List.of("/usr/bin/sh", "-c", "x"))).isEqualTo("sh");
    assertThat(ProcessHandler.executableName(List.of("C:\\tools\\run.exe"))).isEqualTo("run.exe");
    assertThat(ProcessHandler.executableName(List.of())).isEqualTo("process");
  }
}
