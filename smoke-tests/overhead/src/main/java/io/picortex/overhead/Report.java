package io.picortex.overhead;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/** The markdown report (and a CSV of every run), from the results of all rounds. */
final class Report {

  static final String NOT_AVAILABLE = "n/a";

  private Report() {}

  static final Map<String, String> CONFIG_NAMES =
      Map.of("none", "no agent", "picortex", "Picortex", "candidate", "Picortex (candidate)",
          "otel", "OpenTelemetry");

  /** median, min, max of the successful runs of one service in one configuration. */
  record Stats(double median, double min, double max, int count) {
    static Stats of(List<Double> values) {
      if (values.isEmpty()) {
        return null;
      }
      List<Double> sorted = new ArrayList<>(values);
      sorted.sort(null);
      int n = sorted.size();
      double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
      return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }
  }

  static Stats stats(List<RunResult> results, String service, String config, Metric metric) {
    List<Double> values = new ArrayList<>();
    for (RunResult r : results) {
      if (r.ok() && r.service().equals(service) && r.config().equals(config)) {
        Double v = r.values().get(metric);
        if (v != null && !v.isNaN()) {
          values.add(v);
        }
      }
    }
    return Stats.of(values);
  }

  static String markdown(Options options, OverheadHarness.Environment environment,
      List<RunResult> results, Map<String, Path> agentJars, String notes, Duration took,
      int processesStarted, List<Long> processesAlive, Path runsDir) {
    StringBuilder md = new StringBuilder();
    md.append("# Overhead: ").append(options.mode()).append(" mode\n\n");
    md.append("Each cell: median (min–max) over the rounds, then ×ratio = median / median of the same"
        + " service without an agent, measured in this run. Lower is better except throughput.\n\n");
    table(md, options, results);
    budgets(md, options, results);
    paired(md, options, results);
    cpuSplit(md, options, results);

    md.append("\n## Settings\n\n");
    md.append("- Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append("; the whole run took ").append(took.toSeconds()).append(" s\n");
    md.append("- Machine: ").append(environment.cores()).append(" cores (").append(environment.cpu())
        .append("), load average before: ").append(environment.loadBefore()).append(", after: ")
        .append(environment.loadAfter()).append('\n');
    md.append("- Services run on: ").append(environment.jdk()).append(" (").append(options.javaHome())
        .append(")\n");
    md.append("- Rounds: ").append(options.rounds()).append("; in each, the configurations of a"
        + " service run side by side (started in turn, each polled until the route answers 200,"
        + " then ").append(options.warmup().toSeconds()).append(" s warm-up load each in turn, then ")
        .append(options.duration().toSeconds()).append(" s measured load each, in ")
        .append(options.slices()).append(" slice(s) taking turns), then the next service;")
        .append(" the order rotates with the round and the slice; ")
        .append(options.connections()).append(" connections\n");
    md.append("- Routes under load: jdk-service ").append(options.jdkPath())
        .append(options.jdkNoDelay() ? " (with -Dsun.net.httpserver.nodelay=true)" : "")
        .append(", spring-service ").append(options.springPath()).append('\n');
    for (Map.Entry<String, Path> jar : agentJars.entrySet()) {
      if (jar.getValue() != null) {
        md.append("- Agent ").append(CONFIG_NAMES.get(jar.getKey())).append(": ")
            .append(jar.getKey().equals("picortex") ? options.agentJar() + ", run from a copy: " : "")
            .append(jar.getKey().equals("candidate")
                ? options.candidateJar() + " with " + options.candidateArgs() + ", run from a copy: "
                : "")
            .append(jar.getValue()).append('\n');
      }
    }
    md.append("- Both agents export traces only, over OTLP http/protobuf to a local endpoint that"
        + " answers 200 and discards (otel.traces.exporter=otlp, otel.metrics.exporter=none,"
        + " otel.logs.exporter=none: ours exports only traces today, so the OpenTelemetry agent"
        + " is held to the same). The same -D settings and -Xlog:gc+heap=debug are on every"
        + " command line; only -javaagent differs.\n");
    notes.lines().forEach(line -> md.append("- ").append(line).append('\n'));

    md.append("\n## Runs\n\n");
    long skipped = results.stream().filter(RunResult::skipped).count();
    long failed = results.stream().filter(r -> !r.ok() && !r.skipped()).count();
    md.append("- Runs: ").append(results.size()).append(", failed: ").append(failed)
        .append(", skipped for the time limit: ").append(skipped).append('\n');
    for (String config : options.configs()) {
      long requests = 0;
      long errors = 0;
      long otlpRequests = 0;
      long otlpBytes = 0;
      for (RunResult r : results) {
        if (r.config().equals(config)) {
          requests += r.requests();
          errors += r.errors();
          otlpRequests += r.otlpRequests();
          otlpBytes += r.otlpBytes();
        }
      }
      md.append("- ").append(CONFIG_NAMES.get(config)).append(": ").append(requests)
          .append(" measured requests, ").append(errors).append(" errors; OTLP received: ")
          .append(otlpRequests).append(" requests, ").append(otlpBytes / 1024).append(" KiB\n");
    }
    md.append("- Processes started: ").append(processesStarted).append(", still alive after"
        + " cleanup: ").append(processesAlive.size()).append(processesAlive.isEmpty() ? "" : " " + processesAlive)
        .append('\n');
    md.append("- Logs of every run (command line, app output, GC log): ").append(runsDir).append('\n');
    for (RunResult r : results) {
      if (!r.ok()) {
        md.append(r.skipped() ? "- Round " : "- FAILED round ").append(r.round()).append(' ')
            .append(r.service()).append(' ').append(r.config()).append(": ")
            .append(r.failure().replace("\n", "\n  ")).append('\n');
      }
    }

    md.append("\n## What each column means\n\n");
    for (Metric metric : Metric.values()) {
      md.append("- **").append(metric.label).append("**: ").append(metric.meaning).append('\n');
    }
    return md.toString();
  }

  private static void table(StringBuilder md, Options options, List<RunResult> results) {
    md.append("| Service | Agent |");
    for (Metric metric : Metric.columns()) {
      md.append(' ').append(metric.label).append(" |");
    }
    md.append("\n|---|---|");
    md.append("---|".repeat(Metric.columns().size())).append('\n');
    for (String service : options.services()) {
      for (String config : options.configs()) {
        md.append("| ").append(service).append(" | ").append(CONFIG_NAMES.get(config)).append(" |");
        for (Metric metric : Metric.columns()) {
          md.append(' ').append(cell(results, service, config, metric)).append(" |");
        }
        md.append('\n');
      }
    }
  }

  static String cell(List<RunResult> results, String service, String config, Metric metric) {
    Stats s = stats(results, service, config, metric);
    if (s == null) {
      return NOT_AVAILABLE;
    }
    if (metric == Metric.AGENT_JAR) {
      return format(s.median(), metric.decimals);
    }
    String text = format(s.median(), metric.decimals) + " (" + format(s.min(), metric.decimals) + "–"
        + format(s.max(), metric.decimals) + ")";
    if (!config.equals("none")) {
      Stats reference = stats(results, service, "none", metric);
      if (reference != null && reference.median() != 0) {
        text += " ×" + format(s.median() / reference.median(), 2);
      }
    }
    return text;
  }

  private static void budgets(StringBuilder md, Options options, List<RunResult> results) {
    md.append("\n## Budgets (shared/DESIGN.md §6)\n\n");
    if (!options.configs().containsAll(Options.DEFAULT_CONFIGS)) {
      md.append("Needs all three configurations.\n");
      return;
    }
    md.append("Medians of this run. \"Added\" = median with the agent − median without, same service."
        + " On a noisy machine, read a verdict next to the spread in the table above. \"Rounds met\""
        + " judges each round on its own runs (each agent against the no-agent run of the same"
        + " round): a verdict that holds in some rounds only is inside the noise.\n\n");
    md.append("| Service | Budget | Picortex | OpenTelemetry | Verdict | Rounds met |\n"
        + "|---|---|---|---|---|---|\n");
    for (String service : options.services()) {
      boolean jdk = service.equals("jdk-service");
      double startupBudget = jdk ? 0.4 : 0.6;
      double throughputBudget = jdk ? 0.90 : 0.85;
      Double oursStartup = added(results, service, "picortex", Metric.STARTUP);
      Double otelStartup = added(results, service, "otel", Metric.STARTUP);
      row(md, service, "start-up added ≤ " + startupBudget + " s", seconds(oursStartup),
          seconds(otelStartup),
          oursStartup == null ? null : oursStartup <= startupBudget,
          oursStartup == null ? "" : format(oursStartup - startupBudget, 2) + " s",
          roundsMet(results, service, Metric.STARTUP, false, (ours, otel) -> ours <= startupBudget));
      Double oursThroughput = ratio(results, service, "picortex", Metric.THROUGHPUT);
      Double otelThroughput = ratio(results, service, "otel", Metric.THROUGHPUT);
      row(md, service, "throughput ≥ " + Math.round(throughputBudget * 100) + "% of no agent",
          percent(oursThroughput), percent(otelThroughput),
          oursThroughput == null ? null : oursThroughput >= throughputBudget,
          oursThroughput == null ? "" : Math.round((throughputBudget - oursThroughput) * 100) + " points",
          roundsMet(results, service, Metric.THROUGHPUT, true, (ours, otel) -> ours >= throughputBudget));
      quarter(md, results, service, "CPU per request added", Metric.CPU_PER_REQUEST, "ms", 3);
      quarter(md, results, service, "heap after GC added", Metric.HEAP_AFTER_GC, "MB", 1);
      quarter(md, results, service, "metaspace added", Metric.METASPACE, "MB", 1);
    }
    Stats ours = stats(results, options.services().get(0), "picortex", Metric.AGENT_JAR);
    Stats otel = stats(results, options.services().get(0), "otel", Metric.AGENT_JAR);
    row(md, "all", "agent jar ≤ 8 MB", ours == null ? NOT_AVAILABLE : format(ours.median(), 1) + " MB",
        otel == null ? NOT_AVAILABLE : format(otel.median(), 1) + " MB",
        ours == null ? null : ours.median() <= 8.0,
        ours == null ? "" : format(ours.median() - 8.0, 1) + " MB", "");
  }

  /**
   * "k of n": in how many rounds the budget held when judged on that round's runs alone (each
   * agent's figure paired with the no-agent run of the same round); rounds missing either agent's
   * figure are not counted.
   */
  static String roundsMet(List<RunResult> results, String service, Metric metric, boolean ratio,
      BiPredicate<Double, Double> met) {
    Map<Integer, Double> ours = perRound(results, service, "picortex", metric, ratio);
    Map<Integer, Double> otel = perRound(results, service, "otel", metric, ratio);
    int rounds = 0;
    int held = 0;
    for (Map.Entry<Integer, Double> e : ours.entrySet()) {
      Double theirs = otel.get(e.getKey());
      if (theirs == null) {
        continue;
      }
      rounds++;
      if (met.test(e.getValue(), theirs)) {
        held++;
      }
    }
    return rounds == 0 ? NOT_AVAILABLE : held + " of " + rounds;
  }

  /** Round → {@code config}'s figure paired with that round's no-agent run (ratio or difference). */
  private static Map<Integer, Double> perRound(List<RunResult> results, String service,
      String config, Metric metric, boolean ratio) {
    Map<Integer, Double> byRound = new TreeMap<>();
    for (RunResult with : results) {
      if (!with.ok() || !with.service().equals(service) || !with.config().equals(config)) {
        continue;
      }
      Double a = with.values().get(metric);
      for (RunResult without : results) {
        if (without.ok() && without.round() == with.round() && without.service().equals(service)
            && without.config().equals("none")) {
          Double b = without.values().get(metric);
          if (a != null && b != null && !a.isNaN() && !b.isNaN() && (!ratio || b != 0)) {
            byRound.put(with.round(), ratio ? a / b : a - b);
          }
        }
      }
    }
    return byRound;
  }

  /**
   * Per round, the agent's run against the no-agent run of the same round (they ran minutes apart
   * at most), then median (min–max) over the rounds: drift between rounds cancels out, which the
   * ratio of medians above does not do.
   */
  private static void paired(StringBuilder md, Options options, List<RunResult> results) {
    md.append("\n## Paired by round\n\n");
    md.append("Each round runs every configuration of a service side by side. Here each agent run is"
        + " compared with the no-agent run of its own round, then median (min–max) over the rounds:"
        + " slow drift of a shared machine cancels out.\n\n");
    md.append("| Service | Agent | Start-up added s | Throughput ratio | CPU ms/req added |"
        + " Heap added MB | Metaspace added MB |\n|---|---|---|---|---|---|---|\n");
    for (String service : options.services()) {
      for (String config : options.configs()) {
        if (config.equals("none")) {
          continue;
        }
        md.append("| ").append(service).append(" (paired) | ").append(CONFIG_NAMES.get(config));
        md.append(" | ").append(pairedCell(results, service, config, Metric.STARTUP, false, 2));
        md.append(" | ").append(pairedCell(results, service, config, Metric.THROUGHPUT, true, 2));
        md.append(" | ").append(pairedCell(results, service, config, Metric.CPU_PER_REQUEST, false, 3));
        md.append(" | ").append(pairedCell(results, service, config, Metric.HEAP_AFTER_GC, false, 1));
        md.append(" | ").append(pairedCell(results, service, config, Metric.METASPACE, false, 1));
        md.append(" |\n");
      }
    }
  }

  static final List<Metric> CPU_PARTS = List.of(Metric.REQUEST_THREADS_CPU,
      Metric.JIT_CPU_PER_REQUEST, Metric.HTTP_CLIENT_CPU, Metric.EXPORT_CPU, Metric.OTHER_CPU,
      Metric.CPU_PER_REQUEST, Metric.BETWEEN_SLICES_CPU);

  /** The CPU added, split by thread group: where an agent's cost lands. */
  private static void cpuSplit(StringBuilder md, Options options, List<RunResult> results) {
    md.append("\n## Where the added CPU goes\n\n");
    md.append("CPU ms per request added to the same service without an agent (median with the agent"
        + " − median without), by thread group, from each run's `cpu-by-thread.txt`. Each cell is a"
        + " difference of medians, so the parts add up to the total only roughly. The last column is"
        + " not part of the total: the CPU the JVM used between its own slices, while the other"
        + " configurations were under load (the JIT working off its queue, the last exports, GC), per"
        + " request of its slices, added to the same figure without an agent.\n\n");
    md.append("| Service | Agent | request threads | JIT compiler threads | `HttpClient` threads |"
        + " agent's export threads | other | total | between its slices |\n"
        + "|---|---|---|---|---|---|---|---|---|\n");
    for (String service : options.services()) {
      for (String config : options.configs()) {
        if (!config.equals("none")) {
          md.append(cpuSplitRow(results, service, config)).append('\n');
        }
      }
    }
  }

  static String cpuSplitRow(List<RunResult> results, String service, String config) {
    StringBuilder row = new StringBuilder("| ").append(service).append(" | ")
        .append(CONFIG_NAMES.get(config)).append(" |");
    for (Metric part : CPU_PARTS) {
      Double added = added(results, service, config, part);
      row.append(' ').append(added == null ? NOT_AVAILABLE : String.format(Locale.ROOT, "%+.2f", added))
          .append(" |");
    }
    return row.toString();
  }

  /** Per-round ratio (or difference) of {@code config} against "none", as median (min–max). */
  static Stats paired(List<RunResult> results, String service, String config, Metric metric,
      boolean ratio) {
    return Stats.of(new ArrayList<>(perRound(results, service, config, metric, ratio).values()));
  }

  private static String pairedCell(List<RunResult> results, String service, String config,
      Metric metric, boolean ratio, int decimals) {
    Stats s = paired(results, service, config, metric, ratio);
    if (s == null) {
      return NOT_AVAILABLE;
    }
    return format(s.median(), decimals) + " (" + format(s.min(), decimals) + "–"
        + format(s.max(), decimals) + ")";
  }

  private static void quarter(StringBuilder md, List<RunResult> results, String service,
      String what, Metric metric, String unit, int decimals) {
    Double ours = added(results, service, "picortex", metric);
    Double otel = added(results, service, "otel", metric);
    String oursText = ours == null ? NOT_AVAILABLE : format(ours, decimals) + " " + unit;
    String otelText = otel == null ? NOT_AVAILABLE : format(otel, decimals) + " " + unit;
    Boolean met = ours == null || otel == null ? null : ours <= otel / 4;
    String by = ours == null || otel == null ? "" : format(ours - otel / 4, decimals) + " " + unit;
    row(md, service, what + " ≤ ¼ of OpenTelemetry's", oursText, otelText, met, by,
        roundsMet(results, service, metric, false, (o, t) -> o <= t / 4));
  }

  private static void row(StringBuilder md, String service, String budget, String ours,
      String otel, Boolean met, String missedBy, String roundsMet) {
    String verdict = met == null ? NOT_AVAILABLE : met ? "met" : "**missed** by " + missedBy;
    md.append("| ").append(service).append(" | ").append(budget).append(" | ").append(ours)
        .append(" | ").append(otel).append(" | ").append(verdict).append(" | ")
        .append(roundsMet.isEmpty() ? "—" : roundsMet).append(" |\n");
  }

  private static Double added(List<RunResult> results, String service, String config, Metric metric) {
    Stats with = stats(results, service, config, metric);
    Stats without = stats(results, service, "none", metric);
    return with == null || without == null ? null : with.median() - without.median();
  }

  private static Double ratio(List<RunResult> results, String service, String config, Metric metric) {
    Stats with = stats(results, service, config, metric);
    Stats without = stats(results, service, "none", metric);
    return with == null || without == null || without.median() == 0
        ? null : with.median() / without.median();
  }

  private static String seconds(Double value) {
    return value == null ? NOT_AVAILABLE : String.format(Locale.ROOT, "%+.2f s", value);
  }

  private static String percent(Double value) {
    return value == null ? NOT_AVAILABLE : Math.round(value * 100) + "%";
  }

  static String format(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  static String csv(List<RunResult> results) {
    StringBuilder csv = new StringBuilder("round,service,config");
    for (Metric metric : Metric.values()) {
      csv.append(',').append(metric.name().toLowerCase(Locale.ROOT));
    }
    csv.append(",requests,errors,otlp_requests,otlp_bytes,failure\n");
    for (RunResult r : results) {
      csv.append(r.round()).append(',').append(r.service()).append(',').append(r.config());
      for (Metric metric : Metric.values()) {
        Double v = r.values().get(metric);
        csv.append(',').append(v == null ? "" : format(v, 4));
      }
      csv.append(',').append(r.requests()).append(',').append(r.errors()).append(',')
          .append(r.otlpRequests()).append(',').append(r.otlpBytes()).append(',')
          .append(r.failure() == null ? "" : '"' + r.failure().replace('"', '\'').replace('\n', ' ') + '"')
          .append('\n');
    }
    return csv.toString();
  }
}
