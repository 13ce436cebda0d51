package io.picortex.overhead;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-application overhead: each sample service without an agent, with the Picortex agent and
 * with the OpenTelemetry Java agent. In each round a service's configurations run side by side and
 * their measured load comes in slices taking turns (A B C A B C ...), so that drift on a shared
 * machine hits all of them alike; both agents export traces to a local OTLP
 * endpoint that accepts and discards. Prints a markdown table (also written to
 * target/overhead-report.md). See the module's README.md for the commands and what each number
 * means.
 *
 * <p>Usage: {@code java -cp smoke-tests/overhead/target/picortex-overhead.jar
 * io.picortex.overhead.OverheadHarness quick|full|check [--name=value ...]} (options: {@link
 * Options}).
 */
public final class OverheadHarness {

  private static final Pattern LISTENING = Pattern.compile("^LISTENING (\\d+)\\s*$");
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final Options options;
  private final StringBuilder notes = new StringBuilder();
  /** "service config" of every measured slice, in the order they ran (for the check test). */
  private final List<String> sliceOrder = new ArrayList<>();

  OverheadHarness(Options options) {
    this.options = options;
  }

  /** What a harness run produced, for the check test. */
  record Outcome(
      List<RunResult> runs, String report, Path reportFile, int processesStarted,
      List<Long> processesAlive, List<String> sliceOrder) {

    boolean allOk() {
      return runs.stream().allMatch(r -> r.ok() || r.skipped()) && processesAlive.isEmpty();
    }
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Outcome outcome;
    try {
      outcome = run(options);
    } catch (IOException e) {
      System.err.println("overhead harness failed: " + e);
      Processes.destroyAll(Duration.ofSeconds(3));
      System.exit(1);
      return;
    }
    System.out.println(outcome.report());
    System.out.println("(written to " + outcome.reportFile() + ")");
    System.exit(outcome.allOk() ? 0 : 1);
  }

  static Outcome run(Options options) throws IOException {
    return new OverheadHarness(options).run();
  }

  private Outcome run() throws IOException {
    long harnessStart = System.nanoTime();
    Path javaExe = options.javaHome().resolve("bin/java");
    if (!Files.isExecutable(javaExe)) {
      throw new IOException("no java in " + options.javaHome());
    }
    Path jcmd = options.javaHome().resolve("bin/jcmd");
    if (!Files.isExecutable(jcmd)) {
      jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }
    for (String service : options.services()) {
      for (String missing : missingArtifacts(service)) {
        throw new IOException(service + " is not built (" + missing + "): see README.md");
      }
    }
    Path runsDir =
        options.target().resolve("overhead-runs").resolve(options.mode() + "-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(runsDir);
    Map<String, Path> agentJars = agentJars(runsDir);
    JvmProbe probe = new JvmProbe(jcmd, JvmProbe.clockTicksPerSecond());
    Environment environment = Environment.describe(javaExe, loadAverage());

    List<RunResult> results = new ArrayList<>();
    int started;
    List<Long> alive;
    Map<String, OtlpSink> sinks = new LinkedHashMap<>();
    try (Load load = openLoad()) {
      // One endpoint per configuration: the configurations of a service run side by side.
      for (String config : options.configs()) {
        sinks.put(config, OtlpSink.start());
      }
      long deadline = harnessStart + options.timeLimit().toNanos();
      Map<String, Long> lastGroupNanos = new HashMap<>();
      long lastRoundNanos = 0;
      for (int round = 1; round <= options.rounds(); round++) {
        long roundStart = System.nanoTime();
        if (roundStart + lastRoundNanos > deadline) {
          // A whole round or none, so that every configuration has the same number of rounds.
          for (String service : options.services()) {
            skipAll(results, round, service, "skipped: round " + round
                + " would end past the time limit of " + options.timeLimit().toSeconds() + " s");
          }
          continue;
        }
        for (String service : options.services()) {
          // Skip a service's round that would end past the time limit, judging by its previous one.
          if (System.nanoTime() + lastGroupNanos.getOrDefault(service, 0L) > deadline) {
            skipAll(results, round, service, "skipped: it would end past the time limit of "
                + options.timeLimit().toSeconds() + " s");
            continue;
          }
          long groupStart = System.nanoTime();
          results.addAll(runService(round, service, agentJars, javaExe, runsDir, sinks, load, probe));
          lastGroupNanos.put(service, System.nanoTime() - groupStart);
          System.err.printf("[overhead]   %.1f s%n", (System.nanoTime() - groupStart) / 1e9);
        }
        lastRoundNanos = System.nanoTime() - roundStart;
      }
      notes.append("Load generator: ").append(load.describe()).append('\n');
    } finally {
      for (OtlpSink sink : sinks.values()) {
        sink.close();
      }
      Processes.destroyAll(Duration.ofSeconds(5));
      started = Processes.startedCount();
      alive = Processes.stillAlive();
    }
    environment = environment.withLoadAfter(loadAverage());
    Duration took = Duration.ofNanos(System.nanoTime() - harnessStart);
    String report =
        Report.markdown(options, environment, results, agentJars, notes.toString(), took, started,
            alive, runsDir);
    Files.createDirectories(options.out().getParent());
    Files.writeString(options.out(), report);
    Files.writeString(options.out().resolveSibling(
        options.out().getFileName().toString().replaceFirst("\\.md$", "") + "-runs.csv"),
        Report.csv(results));
    return new Outcome(results, report, options.out(), started, alive, List.copyOf(sliceOrder));
  }

  /**
   * One round of one service: every configuration is started in turn (start-up measured while the
   * ones before it sit idle), warmed up in turn, then measured in slices taking turns (A B C A B C
   * ...), so that drift within the round hits every configuration alike; then each is probed and
   * stopped. The order rotates with the round and, for the slices, with the slice, so that no
   * configuration always goes first.
   */
  private List<RunResult> runService(int round, String service, Map<String, Path> agentJars,
      Path javaExe, Path runsDir, Map<String, OtlpSink> sinks, Load load, JvmProbe probe)
      throws IOException {
    List<ServiceRun> runs = new ArrayList<>();
    for (String config : options.configs()) {
      Path dir = runsDir.resolve("r" + round + "-" + service + "-" + config);
      Files.createDirectories(dir);
      runs.add(new ServiceRun(round, service, config, agentJars.get(config), javaExe, dir,
          sinks.get(config)));
    }
    try {
      for (ServiceRun run : rotated(runs, round - 1)) {
        System.err.printf("[overhead] round %d/%d %s %s: start%n", round, options.rounds(),
            service, run.config);
        run.start();
      }
      for (ServiceRun run : rotated(runs, round - 1)) {
        run.warmUp(load);
      }
      for (ServiceRun run : runs) {
        run.beginMeasuring(probe);
      }
      Duration slice = options.duration().dividedBy(options.slices());
      System.err.printf("[overhead] round %d/%d %s: %d slice(s) of %d s each%n", round,
          options.rounds(), service, options.slices(), slice.toSeconds());
      for (int s = 0; s < options.slices(); s++) {
        for (ServiceRun run : rotated(runs, round - 1 + s)) {
          sliceOrder.add(service + " " + run.config);
          run.slice(load, probe, slice);
        }
      }
      for (ServiceRun run : runs) {
        run.finish(probe);
      }
    } finally {
      for (ServiceRun run : runs) {
        run.stop();
      }
    }
    return runs.stream().map(ServiceRun::result).toList();
  }

  /** {@code list} rotated left by {@code by}: [A, B, C] by 1 is [B, C, A]. */
  static <T> List<T> rotated(List<T> list, int by) {
    List<T> copy = new ArrayList<>(list);
    Collections.rotate(copy, -Math.floorMod(by, Math.max(1, list.size())));
    return copy;
  }

  private void skipAll(List<RunResult> results, int round, String service, String why) {
    for (String config : options.configs()) {
      results.add(RunResult.failed(round, service, config, Map.of(), why));
    }
  }

  private Map<String, Path> agentJars(Path runsDir) throws IOException {
    Map<String, Path> jars = new LinkedHashMap<>();
    for (String config : options.configs()) {
      switch (config) {
        case "none" -> jars.put(config, null);
        case "picortex", "candidate" -> {
          Path jar = config.equals("picortex") ? options.agentJar() : options.candidateJar();
          if (!Files.isRegularFile(jar)) {
            throw new IOException("no agent jar at " + jar + ": build it first (README.md)");
          }
          // A snapshot: every round runs the same build even if agent/target is rebuilt meanwhile.
          Path snapshot = runsDir.resolve(config + "-agent.jar");
          Files.copy(jar, snapshot, StandardCopyOption.REPLACE_EXISTING);
          jars.put(config, snapshot);
        }
        case "otel" ->
            jars.put(config, OtelAgentFetcher.fetch(options.otelVersion(),
                options.target().resolve("agent-cache"), OtelAgentFetcher.DEFAULT_REPOSITORY));
        default -> throw new IllegalStateException(config);
      }
    }
    return jars;
  }

  List<String> missingArtifacts(String service) {
    List<Path> needed = switch (service) {
      case "jdk-service" -> List.of(jdkServiceDir().resolve("classes"), jdkServiceDir().resolve("lib"));
      case "spring-service" -> List.of(springJar());
      default -> throw new IllegalStateException(service);
    };
    return needed.stream().filter(p -> !Files.exists(p)).map(Path::toString).toList();
  }

  private Path jdkServiceDir() {
    return options.root().resolve("smoke-tests/apps/jdk-service/target");
  }

  private Path springJar() {
    return options.root().resolve("smoke-tests/apps/spring-service/target/picortex-sample-spring-service.jar");
  }

  private Load openLoad() throws IOException {
    String kind = options.load();
    if (!kind.equals("java")) {
      Path wrk = Load.Wrk.findOrInstall(notes);
      if (wrk != null) {
        return new Load.Wrk(wrk);
      }
      if (kind.equals("wrk")) {
        throw new IOException("wrk is not installed and could not be installed: " + notes);
      }
      notes.append("wrk unavailable: using the Java load generator\n");
    }
    Path self;
    try {
      self = Path.of(OverheadHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IOException("cannot locate the harness's own classes", e);
    }
    return new Load.Java(Path.of(System.getProperty("java.home"), "bin", "java"), self);
  }

  private String path(String service) {
    return service.equals("jdk-service") ? options.jdkPath() : options.springPath();
  }

  List<String> command(
      String service, String config, Path agentJar, Path javaExe, Path dir, OtlpSink sink) {
    List<String> command = new ArrayList<>();
    command.add(javaExe.toString());
    if (agentJar != null) {
      command.add("-javaagent:" + agentJar);
    }
    // Identical for every configuration (only -javaagent differs): the no-agent JVM ignores them.
    command.add("-Xlog:gc+heap=debug:file=" + dir.resolve("gc.log"));
    command.add("-Dotel.service.name=" + service);
    command.add("-Dotel.exporter.otlp.endpoint=" + sink.endpoint());
    command.add("-Dotel.exporter.otlp.protocol=http/protobuf");
    command.add("-Dotel.traces.exporter=otlp");
    command.add("-Dotel.metrics.exporter=none");
    command.add("-Dotel.logs.exporter=none");
    command.addAll(options.jvmArgs());
    if (config.equals("candidate")) {
      command.addAll(options.candidateArgs());
    }
    switch (service) {
      case "jdk-service" -> {
        if (options.jdkNoDelay()) {
          // Without it, com.sun.net.httpserver writes headers and body in separate segments without
          // TCP_NODELAY, and every call waits ~40 ms for a delayed ACK: the service would be bound
          // by those stalls, not by CPU, and no agent overhead would show in its throughput.
          command.add("-Dsun.net.httpserver.nodelay=true");
        }
        command.add("-Dport=0");
        command.add("-cp");
        command.add(jdkServiceDir().resolve("classes") + ":" + jdkServiceDir().resolve("lib") + "/*");
        command.add("io.picortex.sample.JdkService");
      }
      case "spring-service" -> {
        command.add("-jar");
        command.add(springJar().toString());
      }
      default -> throw new IllegalStateException(service);
    }
    return command;
  }

  /**
   * One service in one configuration in one round, driven in phases so that a round can run all
   * configurations of a service side by side: {@link #start} (start-up), {@link #warmUp}, {@link
   * #beginMeasuring}, {@link #slice} (repeatable: the measured load comes in slices, interleaved
   * with the other configurations' slices), {@link #finish} (full GC, memory, allocation). A failed
   * phase records its reason and makes the later ones no-ops; {@link #stop} always ends the
   * process.
   */
  private final class ServiceRun {
    final int round;
    final String service;
    final String config;
    private final Path agentJar;
    private final Path javaExe;
    private final Path dir;
    private final OtlpSink sink;
    private final Map<Metric, Double> values = new EnumMap<>(Metric.class);
    private final Path appLog;
    private Process process;
    private int port;
    private String failure;
    private long usedBeforeKb;
    private int lastGcBefore;
    private double cpuMillis;
    /** The JVM's CPU time when its first measured slice began and when its latest one ended. */
    private double firstSliceStartCpu = Double.NaN;
    private double lastSliceEndCpu;
    private final Map<String, Double> cpuByGroup = new TreeMap<>();
    private long requests;
    private long errors;
    private long elapsedNanos;
    private double p50WeightedMicros;
    private double p99WeightedMicros;
    private long otlpRequestsBefore;
    private long otlpBytesBefore;

    ServiceRun(int round, String service, String config, Path agentJar, Path javaExe, Path dir,
        OtlpSink sink) {
      this.round = round;
      this.service = service;
      this.config = config;
      this.agentJar = agentJar;
      this.javaExe = javaExe;
      this.dir = dir;
      this.sink = sink;
      this.appLog = dir.resolve("app.log");
      values.put(Metric.AGENT_JAR, agentJar == null ? 0 : sizeMb(agentJar));
    }

    boolean ok() {
      return failure == null;
    }

    /** Starts the service; start-up = from just before {@code java} to the route's first 200. */
    void start() {
      phase(() -> {
        otlpRequestsBefore = sink.requests();
        otlpBytesBefore = sink.bytes();
        List<String> command = command(service, config, agentJar, javaExe, dir, sink);
        Files.writeString(dir.resolve("command.txt"), String.join(" ", command) + "\n");
        ProcessBuilder builder =
            new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long start = System.nanoTime();
        process = Processes.start(builder);
        long deadline = start + options.startupTimeout().toNanos();
        CompletableFuture<Integer> listening = pumpOutput(process, appLog);
        port = awaitPort(listening, process, deadline);
        values.put(Metric.LISTENING, (System.nanoTime() - start) / 1e9);
        awaitFirstSuccess(port, path(service), process, deadline);
        values.put(Metric.STARTUP, (System.nanoTime() - start) / 1e9);
      });
    }

    void warmUp(Load load) {
      if (!options.warmup().isZero()) {
        phase(() -> load.run(port, path(service), options.connections(), options.warmup()));
      }
    }

    /** Notes the heap in use and the last finished GC, for the allocation over the measured load. */
    void beginMeasuring(JvmProbe probe) {
      phase(() -> {
        usedBeforeKb = JvmProbe.parseHeapInfo(probe.jcmd(process.pid(), dir, "GC.heap_info")).heapUsedKb();
        lastGcBefore = JvmProbe.lastFinishedGc(JvmProbe.readGcLog(dir.resolve("gc.log")));
      });
    }

    /** One slice of the measured load, bracketed by the JVM's CPU time. */
    void slice(Load load, JvmProbe probe, Duration length) {
      phase(() -> {
        Map<Long, JvmProbe.ThreadCpu> threadsBefore = probe.threadCpu(process.pid());
        double cpuBefore = probe.cpuMillis(process.pid());
        LoadResult measured = load.run(port, path(service), options.connections(), length);
        double cpuAfter = probe.cpuMillis(process.pid());
        Map<Long, JvmProbe.ThreadCpu> threadsAfter = probe.threadCpu(process.pid());
        if (!process.isAlive()) {
          throw new IOException("the service exited during the load");
        }
        cpuMillis += cpuAfter - cpuBefore;
        if (Double.isNaN(firstSliceStartCpu)) {
          firstSliceStartCpu = cpuBefore;
        }
        lastSliceEndCpu = cpuAfter;
        JvmProbe.cpuByGroup(threadsBefore, threadsAfter, cpuAfter - cpuBefore)
            .forEach((group, millis) -> cpuByGroup.merge(group, millis, Double::sum));
        requests += measured.requests();
        errors += measured.errors();
        elapsedNanos += measured.elapsedNanos();
        p50WeightedMicros += measured.p50Micros() * measured.requests();
        p99WeightedMicros += measured.p99Micros() * measured.requests();
      });
    }

    /** Full GC; heap, metaspace, classes and RSS after it; allocation from the GC log. */
    void finish(JvmProbe probe) {
      phase(() -> {
        if (requests == 0) {
          throw new IOException("no successful request under load (" + errors + " errors)");
        }
        values.put(Metric.THROUGHPUT, requests * 1e9 / elapsedNanos);
        values.put(Metric.P50, p50WeightedMicros / requests / 1e3);
        values.put(Metric.P99, p99WeightedMicros / requests / 1e3);
        values.put(Metric.CPU_PER_REQUEST, cpuMillis / requests);
        for (Metric part : List.of(Metric.JIT_CPU_PER_REQUEST, Metric.REQUEST_THREADS_CPU,
            Metric.HTTP_CLIENT_CPU, Metric.EXPORT_CPU, Metric.OTHER_CPU)) {
          values.put(part, cpuByGroup.entrySet().stream()
              .filter(group -> Metric.cpuPartOf(group.getKey()) == part)
              .mapToDouble(Map.Entry::getValue).sum() / requests);
        }
        values.put(Metric.BETWEEN_SLICES_CPU, betweenSlicesMillis() / requests);
        writeCpuByGroup();
        String after = probe.jcmd(process.pid(), dir, "GC.run", "GC.heap_info", "VM.classloader_stats");
        Files.writeString(dir.resolve("jcmd-after.txt"), after);
        JvmProbe.HeapUse heap = JvmProbe.parseHeapInfo(after);
        values.put(Metric.HEAP_AFTER_GC, heap.heapUsedKb() / 1024.0);
        values.put(Metric.METASPACE, heap.metaspaceUsedKb() / 1024.0);
        values.put(Metric.CLASSES, (double) JvmProbe.loadedClasses(after));
        values.put(Metric.RSS, JvmProbe.rssKb(process.pid()) / 1024.0);
        long allocatedKb = allocatedSince(dir.resolve("gc.log"), lastGcBefore, usedBeforeKb);
        if (allocatedKb < 0) {
          throw new IOException("the GC log does not cover the measured window: " + dir.resolve("gc.log"));
        }
        values.put(Metric.ALLOCATION_PER_REQUEST, allocatedKb / (double) requests);
      });
    }

    /** CPU the JVM used from its first slice's start to its latest slice's end, outside them. */
    private double betweenSlicesMillis() {
      return lastSliceEndCpu - firstSliceStartCpu - cpuMillis;
    }

    /** Where the measured CPU went, by thread group, in ms per request: cpu-by-thread.txt. */
    private void writeCpuByGroup() throws IOException {
      StringBuilder text = new StringBuilder("# ms of CPU per request, by thread group, over the measured slices\n");
      cpuByGroup.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(group -> text.append(String.format(Locale.ROOT, "%8.3f  %s%n",
              group.getValue() / requests, group.getKey())));
      text.append(String.format(Locale.ROOT, "%8.3f  (whole process)%n", cpuMillis / requests));
      text.append(String.format(Locale.ROOT, "%8.3f  (whole process between its slices, not above)%n",
          betweenSlicesMillis() / requests));
      Files.writeString(dir.resolve("cpu-by-thread.txt"), text);
    }

    /** SIGTERM (the agents flush on the way out), SIGKILL after the grace period; idempotent. */
    void stop() {
      if (process != null) {
        Processes.destroyTree(process, STOP_GRACE);
      }
    }

    RunResult result() {
      return ok()
          ? new RunResult(round, service, config, values, requests, errors,
              sink.requests() - otlpRequestsBefore, sink.bytes() - otlpBytesBefore, null)
          : RunResult.failed(round, service, config, values, failure);
    }

    private void phase(Phase phase) {
      if (!ok()) {
        return;
      }
      try {
        phase.run();
      } catch (IOException | RuntimeException e) {
        failure = e + tail(appLog);
        System.err.println("[overhead]   " + service + " " + config + " failed: " + failure);
        stop();
      }
    }
  }

  private interface Phase {
    void run() throws IOException;
  }

  /** Waits (bounded) until the GC log shows the full GC just made, then sums the allocation. */
  private static long allocatedSince(Path gcLog, int lastGcBefore, long usedBeforeKb)
      throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      List<JvmProbe.GcEvent> events = JvmProbe.readGcLog(gcLog);
      if (JvmProbe.lastFinishedGc(events) > lastGcBefore || System.nanoTime() > deadline) {
        return JvmProbe.allocatedKb(events, lastGcBefore, usedBeforeKb);
      }
      sleep(50);
    }
  }

  private static CompletableFuture<Integer> pumpOutput(Process process, Path log) {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  Writer out = Files.newBufferedWriter(log)) {
                for (String line; (line = in.readLine()) != null; ) {
                  Matcher m = LISTENING.matcher(line);
                  if (!port.isDone() && m.matches()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                  out.write(line);
                  out.write('\n');
                  out.flush();
                }
              } catch (IOException e) {
                // the process ended
              } finally {
                port.completeExceptionally(new IOException("the service ended before LISTENING"));
              }
            },
            "overhead-app-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    return port;
  }

  private static int awaitPort(CompletableFuture<Integer> port, Process process, long deadline)
      throws IOException {
    try {
      return port.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IOException("no LISTENING line within the start-up timeout");
    } catch (ExecutionException e) {
      throw new IOException("the service ended before LISTENING (exit "
          + (process.isAlive() ? "?" : process.exitValue()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void awaitFirstSuccess(int port, String path, Process process, long deadline)
      throws IOException {
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the service exited (" + process.exitValue() + ") before answering");
      }
      try {
        int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        int status = MiniHttp.get("127.0.0.1", port, path, Math.min(left, 30_000));
        if (status == 200) {
          return;
        }
        last = "status " + status;
      } catch (IOException e) {
        last = e.toString();
      }
      sleep(10);
    }
    throw new IOException("no 200 from " + path + " within the start-up timeout (" + last + ")");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n    app log tail: " + String.join("\n    ",
          lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private static double sizeMb(Path file) {
    try {
      return Files.size(file) / 1e6; // decimal MB, as DESIGN.md quotes jar sizes
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The machine and JDK, for the report. */
  record Environment(String jdk, int cores, String cpu, String loadBefore, String loadAfter) {

    static Environment describe(Path javaExe, String loadBefore) {
      String jdk = "unknown";
      try {
        Processes.Output out = Processes.run(List.of(javaExe.toString(), "-version"), Duration.ofSeconds(30));
        jdk = out.text().lines().filter(l -> l.contains("Runtime Environment")).findFirst()
            .orElse(out.text().lines().findFirst().orElse("unknown")).trim();
      } catch (IOException e) {
        // keep unknown
      }
      String cpu = "unknown";
      try {
        cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name")).findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
      } catch (IOException e) {
        // keep unknown
      }
      return new Environment(jdk, Runtime.getRuntime().availableProcessors(), cpu, loadBefore, "");
    }

    Environment withLoadAfter(String after) {
      return new Environment(jdk, cores, cpu, loadBefore, after);
    }
  }
}
