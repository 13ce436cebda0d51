package io.picortex.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness in check mode (one short round of every service in every configuration, Java
 * load generator, about a minute) and proves that it works: a report with every row and every
 * column filled, every run succeeded, and no process left behind. It never looks at a time.
 */
class OverheadHarnessCheckTest {

  @Test
  void checkModeFillsEveryRowAndColumnAndLeavesNoProcessBehind() throws Exception {
    Path root = Path.of(System.getProperty("overhead.root", "../..")).toAbsolutePath().normalize();
    Path target = Path.of(System.getProperty("overhead.target", "target")).toAbsolutePath();
    requireBuilt(root.resolve("agent/target/picortex-agent.jar"));
    requireBuilt(root.resolve("smoke-tests/apps/jdk-service/target/classes"));
    requireBuilt(root.resolve("smoke-tests/apps/jdk-service/target/lib"));
    requireBuilt(root.resolve("smoke-tests/apps/spring-service/target/picortex-sample-spring-service.jar"));
    try {
      OtelAgentFetcher.fetch(OtelAgentFetcher.DEFAULT_VERSION, target.resolve("agent-cache"),
          OtelAgentFetcher.DEFAULT_REPOSITORY);
    } catch (IOException e) {
      assumeTrue(false, "the OpenTelemetry agent cannot be fetched from Maven Central: " + e);
    }

    Options options = Options.parse("check", "--root=" + root);
    assertThat(options.slices()).as("check mode measures in slices").isGreaterThan(1);
    OverheadHarness.Outcome outcome = OverheadHarness.run(options);

    assertThat(outcome.runs()).hasSize(Options.ALL_SERVICES.size() * Options.DEFAULT_CONFIGS.size());
    assertThat(outcome.runs()).allSatisfy(run -> {
      assertThat(run.failure()).as(run.service() + " " + run.config()).isNull();
      assertThat(run.requests()).as("requests answered").isPositive();
      assertThat(run.errors()).as("failed requests").isZero();
      // CPU counters only grow, so the CPU between the first slice's start and the last slice's
      // end, less the slices' own, cannot be negative when the window is taken right
      assertThat(run.values().get(Metric.BETWEEN_SLICES_CPU))
          .as(run.service() + " " + run.config() + " CPU between its slices").isNotNull()
          .isGreaterThanOrEqualTo(0.0);
    });

    // The measured load came in slices taking turns: every configuration of a service measured
    // once per turn, never twice in a row.
    for (String service : Options.ALL_SERVICES) {
      List<String> order = outcome.sliceOrder().stream().filter(s -> s.startsWith(service + " "))
          .map(s -> s.substring(service.length() + 1)).toList();
      assertThat(order).as(service + " slices").hasSize(options.slices() * Options.DEFAULT_CONFIGS.size());
      for (int turn = 0; turn < options.slices(); turn++) {
        int size = Options.DEFAULT_CONFIGS.size();
        assertThat(order.subList(turn * size, (turn + 1) * size)).as(service + " turn " + turn)
            .containsExactlyInAnyOrderElementsOf(Options.DEFAULT_CONFIGS);
      }
      for (int i = 1; i < order.size(); i++) {
        assertThat(order.get(i)).as(service + " slice " + i).isNotEqualTo(order.get(i - 1));
      }
    }

    String report = Files.readString(outcome.reportFile());
    assertThat(report).isEqualTo(outcome.report());
    List<String> lines = report.lines().toList();
    String header = lines.stream().filter(l -> l.startsWith("| Service | Agent |")).findFirst().orElseThrow();
    for (Metric metric : Metric.columns()) {
      assertThat(header).contains("| " + metric.label + " |");
    }
    for (String service : Options.ALL_SERVICES) {
      for (String config : Options.DEFAULT_CONFIGS) {
        String prefix = "| " + service + " | " + Report.CONFIG_NAMES.get(config) + " |";
        List<String> rows =
            report.substring(0, report.indexOf("## Budgets")).lines().filter(l -> l.startsWith(prefix)).toList();
        assertThat(rows).as(prefix).hasSize(1);
        List<String> cells =
            Arrays.stream(rows.get(0).split("\\|")).map(String::trim).skip(3).toList();
        assertThat(cells).as(prefix).hasSize(Metric.columns().size());
        assertThat(cells).as(prefix).allSatisfy(cell -> assertThat(cell).matches("-?\\d.*"));
        if (!config.equals("none")) {
          // every figure but the jar size also as a ratio to the run without an agent
          assertThat(cells.subList(0, cells.size() - 1)).as(prefix)
              .allSatisfy(cell -> assertThat(cell).contains("×"));
        }
      }
    }
    // where the added CPU goes: one row per service and agent, every part a signed number
    String split = report.substring(report.indexOf("## Where the added CPU goes"));
    for (String service : Options.ALL_SERVICES) {
      for (String config : Options.DEFAULT_CONFIGS) {
        if (config.equals("none")) {
          continue;
        }
        String prefix = "| " + service + " | " + Report.CONFIG_NAMES.get(config) + " |";
        String row = split.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        List<String> parts = Arrays.stream(row.split("\\|")).map(String::trim).skip(3).toList();
        assertThat(parts).as(prefix).hasSize(Report.CPU_PARTS.size())
            .allSatisfy(cell -> assertThat(cell).matches("[+-]\\d+\\.\\d\\d"));
      }
    }
    assertThat(report).contains("## Budgets").contains("## Paired by round")
        .contains("still alive after cleanup: 0");
    List<String> budgetRows =
        lines.stream().filter(l -> l.matches("\\| [a-z-]+ \\| [^|]*[≤≥][^|]* \\|.*")).toList();
    assertThat(budgetRows).as("budget rows").hasSize(1 + 5 * Options.ALL_SERVICES.size());
    // the last cell: in how many rounds the budget held on that round's runs alone (jar: "—")
    assertThat(budgetRows).allSatisfy(row -> assertThat(row).matches(".*\\| (\\d+ of 1|—) \\|$"));
    List<String> paired =
        lines.stream().filter(l -> l.matches("\\| [a-z-]+ \\(paired\\) \\|.*")).toList();
    assertThat(paired).hasSize(
        (int) outcome.runs().stream().map(RunResult::service).distinct().count() * 2);
    assertThat(paired).allSatisfy(row -> assertThat(row).matches(".*\\| -?\\d[^|]*\\|$"));
    assertThat(Files.readString(target.resolve("overhead-report-check-runs.csv")).lines())
        .hasSize(1 + outcome.runs().size());

    assertThat(outcome.processesStarted()).isGreaterThanOrEqualTo(outcome.runs().size());
    assertThat(outcome.processesAlive()).isEmpty();
    assertThat(aliveDescendantsAfterAWhile()).as("processes started by the harness").isEmpty();
  }

  private static void requireBuilt(Path path) {
    assumeTrue(Files.exists(path), path + " is not built: run ./mvnw -B install -DskipTests first");
  }

  /** This JVM's live descendants, waiting (bounded) for any that are just exiting. */
  private static List<ProcessHandle> aliveDescendantsAfterAWhile() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<ProcessHandle> alive;
    do {
      alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
      if (alive.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return alive;
  }
}
