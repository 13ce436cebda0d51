package io.picortex.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "candidate" configuration: a second build or setting of our agent in the same run. */
class CandidateTest {

  @Test
  void theCandidateIsOnlyRunWhenAskedForAndComesAfterOursInTheTurns() {
    assertThat(Options.parse("quick", "--root=.").configs()).containsExactly("none", "picortex", "otel");
    Options options = Options.parse("quick", "--root=.", "--configs=otel,candidate,none,picortex");
    assertThat(options.configs()).containsExactly("none", "picortex", "candidate", "otel");
    assertThat(options.candidateJar()).as("defaults to our agent").isEqualTo(options.agentJar());
  }

  @Test
  void candidateSettingsWithoutTheCandidateConfigurationAreRefused() {
    assertThatThrownBy(() -> Options.parse("quick", "--root=.", "--candidate-arg=-Dx=y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--configs");
    assertThatThrownBy(() -> Options.parse("quick", "--root=.", "--candidate-jar=/tmp/other.jar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("candidate");
  }

  @Test
  void candidateArgumentsReachOnlyTheCandidatesCommandLine() throws Exception {
    Options options = Options.parse("quick", "--root=.", "--configs=none,picortex,candidate",
        "--candidate-arg=-Dotel.traces.sampler=always_off", "--jvm-arg=-Dshared=1");
    OverheadHarness harness = new OverheadHarness(options);
    Path dir = Path.of("target");
    try (OtlpSink sink = OtlpSink.start()) {
      Path java = Path.of("java");
      List<String> candidate = harness.command("jdk-service", "candidate", Path.of("c.jar"), java, dir, sink);
      List<String> ours = harness.command("jdk-service", "picortex", Path.of("p.jar"), java, dir, sink);
      assertThat(candidate).contains("-javaagent:c.jar", "-Dotel.traces.sampler=always_off", "-Dshared=1");
      assertThat(ours).contains("-javaagent:p.jar", "-Dshared=1")
          .doesNotContain("-Dotel.traces.sampler=always_off");
    }
  }
}
