package io.picortex.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentTest {
  @Test
  void aotTrainingRunsAreRecognisedFromTheCommandLine() {
    assertThat(Agent.isAotTrainingRun(List.of("-XX:AOTCacheOutput=app.aot", "-jar", "x.jar")))
        .isTrue();
    assertThat(Agent.isAotTrainingRun(List.of("-XX:AOTMode=record"))).isTrue();
    assertThat(Agent.isAotTrainingRun(List.of("-XX:AOTCache=app.aot", "-jar", "x.jar"))).isFalse();
    assertThat(Agent.isAotTrainingRun(List.of("-jar", "x.jar"))).isFalse();
  }
}
