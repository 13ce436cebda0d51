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

  @Test
  void parametersOfALineBelowTheAgentsLevelAreNotFormatted() {
    AgentLog.setThreshold(AgentLog.Level.WARN);
    Parameter parameter = new Parameter();

    JulShim.getLogger("io.opentelemetry.sdk.Test").log(Level.FINE, "exported {0}", new Object[] {parameter});

    assertThat(parameter.rendered).hasValue(0);
  }

  @Test
  void parametersOfALineAtTheAgentsLevelAreFormatted() {
    AgentLog.setThreshold(AgentLog.Level.DEBUG);
    Parameter parameter = new Parameter();

    JulShim.getLogger("io.opentelemetry.sdk.Test").log(Level.FINE, "exported {0}", new Object[] {parameter});

    assertThat(parameter.rendered).hasValue(1);
  }
}
