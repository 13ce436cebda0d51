package io.picortex.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JulShimTest {
  private final AgentLog.Level before = AgentLog.threshold();

  @AfterEach
  void restore() {
    AgentLog.setThreshold(before);
  }

  /** Counts how often a library's log parameter is turned into text. */
  private static final class Parameter {
    final AtomicInteger rendered = new AtomicInteger();

    @Override
    public String toString() {
      rendered.incrementAndGet();
      return "value";
    }
  }

  /** How often the parameter of one FINE line is turned into text at the agent's {@code level}. */
  private static int renderingsAt(AgentLog.Level level) {
    AgentLog.setThreshold(level);
    Parameter parameter = new Parameter();
    JulShim.getLogger("io.opentelemetry.sdk.Test").log(Level.FINE, "exported {0}", new Object[] {parameter});
    return parameter.rendered.get();
  }

  @Test
  void parametersOfALineBelowTheAgentsLevelAreNotFormatted() {
    assertThat(renderingsAt(AgentLog.Level.WARN)).isZero();
  }

  @Test
  void parametersOfALineAtTheAgentsLevelAreFormatted() {
    assertThat(renderingsAt(AgentLog.Level.DEBUG)).isEqualTo(1);
  }
}
