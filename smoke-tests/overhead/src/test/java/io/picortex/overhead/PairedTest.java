package io.picortex.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedTest {

  private static RunResult run(int round, String config, double throughput, double cpu) {
    return new RunResult(round, "jdk-service", config,
        Map.of(Metric.THROUGHPUT, throughput, Metric.CPU_PER_REQUEST, cpu), 1, 0, 0, 0, null);
  }

  @Test
  void eachAgentRunIsComparedWithTheNoAgentRunOfItsOwnRound() {
    List<RunResult> results = List.of(
        run(1, "none", 100, 3.0), run(1, "picortex", 90, 3.5),
        run(2, "none", 200, 2.0), run(2, "picortex", 160, 2.2),
        run(3, "none", 150, 4.0), run(3, "picortex", 150, 4.9));
    Report.Stats ratio = Report.paired(results, "jdk-service", "picortex", Metric.THROUGHPUT, true);
    assertThat(ratio.median()).isEqualTo(0.9, within(1e-9));
    assertThat(ratio.min()).isEqualTo(0.8, within(1e-9));
    assertThat(ratio.max()).isEqualTo(1.0, within(1e-9));
    Report.Stats added =
        Report.paired(results, "jdk-service", "picortex", Metric.CPU_PER_REQUEST, false);
    assertThat(added.median()).isEqualTo(0.5, within(1e-9));
    assertThat(added.min()).isEqualTo(0.2, within(1e-9));
    assertThat(added.max()).isEqualTo(0.9, within(1e-9));
  }

  @Test
  void aRoundWhoseNoAgentRunFailedIsLeftOut() {
    List<RunResult> results = List.of(
        run(1, "none", 100, 3.0), run(1, "picortex", 90, 3.5),
        RunResult.failed(2, "jdk-service", "none", Map.of(), "did not start"),
        run(2, "picortex", 10, 9.0));
    Report.Stats ratio = Report.paired(results, "jdk-service", "picortex", Metric.THROUGHPUT, true);
    assertThat(ratio.count()).isEqualTo(1);
    assertThat(ratio.median()).isEqualTo(0.9, within(1e-9));
    assertThat(Report.paired(results, "jdk-service", "otel", Metric.THROUGHPUT, true)).isNull();
  }

  @Test
  void roundsMetJudgesEachRoundOnItsOwnRunsAndSkipsRoundsWithoutBothAgents() {
    // CPU added per round: ours 0.2, 0.5, 0.1 (round 4: no OpenTelemetry run);
    // OpenTelemetry's 1.0, 1.0, 0.2. A quarter of theirs: 0.25, 0.25, 0.05.
    List<RunResult> results = List.of(
        run(1, "none", 100, 3.0), run(1, "picortex", 90, 3.2), run(1, "otel", 80, 4.0),
        run(2, "none", 100, 2.0), run(2, "picortex", 90, 2.5), run(2, "otel", 80, 3.0),
        run(3, "none", 100, 4.0), run(3, "picortex", 90, 4.1), run(3, "otel", 80, 4.2),
        run(4, "none", 100, 4.0), run(4, "picortex", 90, 4.0),
        RunResult.failed(4, "jdk-service", "otel", Map.of(), "did not start"));
    assertThat(Report.roundsMet(results, "jdk-service", Metric.CPU_PER_REQUEST, false,
        (ours, otel) -> ours <= otel / 4)).isEqualTo("1 of 3");
    assertThat(Report.roundsMet(results, "jdk-service", Metric.THROUGHPUT, true,
        (ours, otel) -> ours >= 0.90)).isEqualTo("3 of 3");
    assertThat(Report.roundsMet(results, "spring-service", Metric.THROUGHPUT, true,
        (ours, otel) -> true)).isEqualTo(Report.NOT_AVAILABLE);
  }

  @Test
  void theCpuSplitRowGivesEachPartAddedAsADifferenceOfMedians() {
    List<RunResult> results = List.of(
        split(1, "none", 1.0, 0.5, 0.2, 0.0, 0.3), split(1, "picortex", 1.4, 0.6, 0.25, 0.05, 0.3),
        split(2, "none", 1.2, 0.5, 0.2, 0.0, 0.3), split(2, "picortex", 1.5, 0.7, 0.2, 0.04, 0.4),
        split(3, "none", 0.8, 0.4, 0.2, 0.0, 0.2), split(3, "picortex", 1.3, 0.6, 0.3, 0.06, 0.3));
    // request threads: median 1.4 − median 1.0; JIT 0.6 − 0.5; HttpClient 0.25 − 0.2;
    // export 0.05 − 0; other 0.3 − 0.3; total, the median of the sums: 2.6 − 2.0; between
    // slices (not in the total), the request threads' figure / 10: 0.14 − 0.10
    assertThat(Report.cpuSplitRow(results, "jdk-service", "picortex"))
        .isEqualTo("| jdk-service | Picortex | +0.40 | +0.10 | +0.05 | +0.05 | +0.00 | +0.60 | +0.04 |");
  }

  private static RunResult split(int round, String config, double request, double jit,
      double httpClient, double export, double other) {
    return new RunResult(round, "jdk-service", config, Map.of(
        Metric.REQUEST_THREADS_CPU, request, Metric.JIT_CPU_PER_REQUEST, jit,
        Metric.HTTP_CLIENT_CPU, httpClient, Metric.EXPORT_CPU, export, Metric.OTHER_CPU, other,
        Metric.CPU_PER_REQUEST, request + jit + httpClient + export + other,
        Metric.BETWEEN_SLICES_CPU, request / 10), 1, 0, 0, 0, null);
  }
}
