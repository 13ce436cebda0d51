package io.picortex.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK 25 AOT cache keeps working with the agent attached (DESIGN.md section 3): a training run
 * of the Spring Boot sample with {@code -XX:AOTCacheOutput} and the agent ends normally and writes
 * the cache; a production run with {@code -XX:AOTCache} and the agent loads most classes from it,
 * says nothing about an unusable cache, and is traced. (The OpenTelemetry and Elastic agents crash
 * the training run, so their users lose the cache.)
 *
 * <p>Both runs happen once, in {@link #trainThenRunWithTheCache()}; each test checks one property
 * of them. Runs on the first JDK 25+ in smoke.java.homes, else one found in /usr/lib/jvm; skipped
 * when there is none.
 */
class AotCacheTest {

  static final String SPRING_JAR = "picortex-sample-spring-service.jar";
  static final String EXERCISE_ARG = "--exercise-and-exit";
  static final String TRAINING_SERVICE = "spring-aot-training";
  static final String PRODUCTION_SERVICE = "spring-aot";
  static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(180);
  static final Duration PRODUCTION_TIMEOUT = Duration.ofSeconds(120);
  static final double MIN_FRACTION_FROM_CACHE = 0.80;
  static final String FROM_CACHE = "source: shared objects file";

  /**
   * What HotSpot 25 prints when it cannot use an AOT cache (checked by hand: a class path that
   * differs from training gives "shared class paths mismatch"; a cache trained with an agent used
   * without one gives "Mismatched values for property jdk.module.addmods ... Disabling optimized
   * module handling ... AOT cache has aot-linked classes. It cannot be used when archived full
   * module graph is not used."; both end with "Unable to map shared spaces", all tagged
   * [error][aot]), and what appendToBootstrapClassLoaderSearch makes it print.
   */
  static final Pattern CACHE_UNUSABLE =
      Pattern.compile(
          "\\[error *\\]\\[(aot|cds)"
              + "|error has occurred while processing the AOT cache"
              + "|Unable to map shared spaces"
              + "|Unable to use (the )?(AOT cache|shared archive)"
              + "|shared class paths mismatch"
              + "|Disabling optimized module handling"
              + "|Sharing is only supported for boot loader classes"
              + "|(AOT cache|CDS|[Ss]haring).{0,40}(is )?disabled",
          Pattern.CASE_INSENSITIVE);

  @TempDir static Path dir;

  private static JavaHome jdk;
  private static OtlpReceiver receiver;
  private static Run training;
  private static Run production;

  @BeforeAll
  static void trainThenRunWithTheCache() throws IOException {
    Optional<JavaHome> found = jdk25OrNewer();
    Assumptions.assumeTrue(
        found.isPresent(),
        "no JDK with feature version >= 25 in smoke.java.homes or /usr/lib/jvm: the AOT cache"
            + " (JEP 483/514) needs one, so the AOT cache test is skipped");
    jdk = found.get();
    Path springJar = springServiceJar();
    Path agentJar = SmokeConfig.agentJar();
    receiver = OtlpReceiver.start();

    training =
        Run.of(
            "training",
            command(agentJar, springJar, TRAINING_SERVICE, "-XX:AOTCacheOutput=" + cache()),
            TRAINING_TIMEOUT);
    if (training.exitCode() == 0 && isNonEmptyFile(cache())) {
      production =
          Run.of(
              "production",
              command(
                  agentJar,
                  springJar,
                  PRODUCTION_SERVICE,
                  "-XX:AOTCache=" + cache(),
                  "-Xlog:class+load:file=" + classLoadLog()),
              PRODUCTION_TIMEOUT);
    }
    report();
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void trainingRunWithTheAgentExitsNormallyAndWritesTheCache() throws IOException {
    assertRanCleanly(training, "training");
    assertThat(cache()).as("the AOT cache" + training.describe()).exists();
    assertThat(Files.size(cache())).as("size of " + cache() + training.describe()).isPositive();
  }

  @Test
  void trainingRunIsNotWovenSoTheCacheHoldsTheApplicationsOwnClasses() {
    // JDK 25 crashes when a training run retransforms classes that already ran, and a class woven
    // as it loads in training can break every run that uses the cache; the agent therefore weaves
    // nothing while training. The JVM has exited, and the agent flushes on exit: had anything been
    // traced, it would be here.
    requireRun(training, "training");
    assertThat(receiver.spansOf(TRAINING_SERVICE)).as("spans of the training run").isEmpty();
  }

  @Test
  void productionRunWithTheCacheAndTheAgentExitsNormally() {
    requireProductionRun();
    assertRanCleanly(production, "production");
  }

  @Test
  void productionRunLoadsMostClassesFromTheCache() {
    requireProduction();
    ClassLoads loads = ClassLoads.read(classLoadLog());
    assertThat(loads.total()).as("classes in " + classLoadLog() + production.describe()).isPositive();
    assertThat(loads.fraction())
        .as(
            "fraction of classes loaded from the AOT cache ("
                + loads
                + "); sources of the others: "
                + loads.otherSources()
                + production.describe())
        .isGreaterThan(MIN_FRACTION_FROM_CACHE);
  }

  @Test
  void productionRunPrintsNoWarningThatTheCacheCannotBeUsed() {
    requireProduction();
    List<String> complaints =
        production.output().stream()
            .filter(line -> CACHE_UNUSABLE.matcher(line).find())
            .collect(Collectors.toList());
    assertThat(complaints).as("JVM complaints about the AOT cache" + production.describe()).isEmpty();
  }

  @Test
  void productionRunIsTracedItsJdbcAndHttpClientCallsBecomeSpans() {
    // classes loaded from the cache before premain are retransformed in this run; Spring's
    // Tomcat has no server instrumentation yet, so the calls /api/hello makes are the evidence
    requireProduction();
    List<ReceivedSpan> spans;
    try {
      spans =
          receiver.awaitSpans(
              "JDBC and HTTP CLIENT spans from service " + PRODUCTION_SERVICE,
              all -> all.stream().anyMatch(s -> s.service().equals(PRODUCTION_SERVICE) && s.isDb())
                  && all.stream().anyMatch(
                      s -> s.service().equals(PRODUCTION_SERVICE) && s.isHttpClient()),
              Spans.ARRIVAL);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + production.describe(), e);
    }
    assertThat(Spans.filter(spans, s -> s.service().equals(PRODUCTION_SERVICE) && s.isDb()))
        .allSatisfy(db -> assertThat(String.valueOf(db.attribute("db.query.text")))
            .doesNotContain("'"));
  }

  // ---- the runs --------------------------------------------------------------------------

  private static List<String> command(
      Path agentJar, Path springJar, String serviceName, String... aotOptions) {
    List<String> command = new ArrayList<>();
    command.add(jdk.java().toString());
    command.addAll(List.of(aotOptions));
    command.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
    command.add("-javaagent:" + agentJar);
    command.add("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint());
    command.add("-Dotel.bsp.schedule.delay=100");
    command.add("-Dotel.service.name=" + serviceName);
    command.add("-jar");
    command.add(springJar.toString());
    command.add(EXERCISE_ARG);
    return command;
  }

  private static void assertRanCleanly(Run run, String name) {
    requireRun(run, name);
    assertThat(run.timedOut()).as("timed out" + run.describe()).isFalse();
    assertThat(run.crashReports()).as("hs_err files" + run.describe()).isEmpty();
    assertThat(run.output())
        .as("output" + run.describe())
        .noneMatch(line -> line.contains("SIGSEGV") || line.contains("A fatal error has been detected"));
    assertThat(run.exitCode()).as("exit code" + run.describe()).isZero();
    assertThat(run.output()).as("output" + run.describe()).anyMatch(line -> line.startsWith("EXERCISED "));
  }

  private static void requireRun(Run run, String name) {
    assertThat(run).as("the " + name + " run did not happen").isNotNull();
  }

  private static void requireProductionRun() {
    assertThat(production)
        .as(
            "no production run: the training run did not exit 0 with a non-empty cache"
                + (training == null ? "" : training.describe()))
        .isNotNull();
  }

  /** The production run happened and ended normally: a run cut short says nothing of the rest. */
  private static void requireProduction() {
    requireProductionRun();
    assertThat(!production.timedOut() && production.exitCode() == 0)
        .as("the production run did not end normally" + production.describe())
        .isTrue();
  }

  private static void report() {
    StringBuilder text = new StringBuilder("AOT cache on ").append(jdk.path()).append(":");
    text.append("\n  training:   ").append(training.summary());
    try {
      if (Files.exists(cache())) {
        text.append(", cache ").append(Files.size(cache()) / (1024 * 1024)).append(" MB");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (production != null) {
      text.append("\n  production: ").append(production.summary());
      if (Files.exists(classLoadLog())) {
        text.append(", ").append(ClassLoads.read(classLoadLog()));
      }
    }
    System.out.println(text);
  }

  private static Path cache() {
    return dir.resolve("app.aot");
  }

  private static Path classLoadLog() {
    return dir.resolve("classload.txt");
  }

  private static boolean isNonEmptyFile(Path path) throws IOException {
    return Files.isRegularFile(path) && Files.size(path) > 0;
  }

  private static Path springServiceJar() {
    String property = System.getProperty("spring.service.dir");
    if (property == null || property.isBlank()) {
      throw new IllegalStateException(
          "system property spring.service.dir is not set: run the smoke tests through Maven");
    }
    Path jar = Path.of(property).toAbsolutePath().normalize().resolve(SPRING_JAR);
    if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
      throw new IllegalStateException(
          jar
              + " (with lib/ beside it) does not exist: mvn -B package -f"
              + " smoke-tests/apps/spring-service/pom.xml");
    }
    return jar;
  }

  /** The first smoke.java.homes entry on JDK 25+, else the newest such JDK in /usr/lib/jvm. */
  private static Optional<JavaHome> jdk25OrNewer() {
    Optional<JavaHome> configured = SmokeConfig.javaHomes().filter(h -> h.feature() >= 25).findFirst();
    if (configured.isPresent()) {
      return configured;
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> entries = Files.list(jvms)) {
      return entries
          .filter(p -> Files.isRegularFile(p.resolve("release")))
          .sorted()
          .flatMap(AotCacheTest::javaHomeOrNothing)
          .filter(h -> h.feature() >= 25)
          .max(Comparator.comparingInt(JavaHome::feature));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<JavaHome> javaHomeOrNothing(Path path) {
    try {
      return Stream.of(JavaHome.of(path.toRealPath()));
    } catch (IOException | RuntimeException e) {
      return Stream.empty(); // not a JDK, or a release file without a usable JAVA_VERSION
    }
  }

  /** One finished (or timed-out and destroyed) JVM run with its output. */
  record Run(
      String name,
      List<String> command,
      int exitCode,
      boolean timedOut,
      Duration wallTime,
      List<String> output,
      List<Path> crashReports) {

    /** Variables that would leak the test environment's settings into the app (as AppProcess). */
    private static final List<String> SCRUBBED_PREFIXES =
        List.of("OTEL_", "PICORTEX_", "TRACEPARENT", "TRACESTATE", "BAGGAGE");

    static Run of(String name, List<String> command, Duration timeout) throws IOException {
      Path stdout = dir.resolve(name + ".out");
      Path stderr = dir.resolve(name + ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(key -> SCRUBBED_PREFIXES.stream().anyMatch(key::startsWith));
      env.remove("JAVA_TOOL_OPTIONS");
      env.remove("JDK_JAVA_OPTIONS");
      env.remove("_JAVA_OPTIONS");
      List<Path> earlierCrashReports = hsErrFiles();
      long start = System.nanoTime();
      Process process = builder.start();
      boolean timedOut = false;
      try {
        timedOut = !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        timedOut = true;
      } finally {
        if (process.isAlive()) {
          destroyTree(process);
        }
      }
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      List<String> output = new ArrayList<>(lines(stdout));
      output.addAll(lines(stderr));
      List<Path> crashes = hsErrFiles();
      crashes.removeAll(earlierCrashReports);
      return new Run(
          name,
          List.copyOf(command),
          timedOut ? -1 : process.exitValue(),
          timedOut,
          wall,
          List.copyOf(output),
          List.copyOf(crashes));
    }

    /** hs_err files of this JVM and the one a training run forks (-XX:ErrorFile points here). */
    private static List<Path> hsErrFiles() throws IOException {
      try (Stream<Path> files = Files.list(dir)) {
        return files
            .filter(p -> p.getFileName().toString().startsWith("hs_err"))
            .sorted()
            .collect(Collectors.toCollection(ArrayList::new));
      }
    }

    /** The training JVM forks a second one to write the cache: end both. */
    private static void destroyTree(Process process) {
      List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static List<String> lines(Path file) {
      try {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      } catch (IOException e) {
        return List.of("[could not read " + file + ": " + e + "]");
      }
    }

    String summary() {
      return String.format(
          Locale.ROOT,
          "%s, %.1f s wall",
          timedOut ? "timed out" : "exit " + exitCode,
          wallTime.toMillis() / 1000.0);
    }

    /** The command, the output's tail and any crash report's header, for failure messages. */
    String describe() {
      StringBuilder text = new StringBuilder("\n--- ").append(name).append(" run: ").append(summary());
      text.append("\ncommand: ").append(String.join(" ", command));
      int from = Math.max(0, output.size() - 80);
      text.append("\n--- output")
          .append(from > 0 ? " (last 80 of " + output.size() + " lines)" : "")
          .append(":\n")
          .append(String.join("\n", output.subList(from, output.size())));
      for (Path report : crashReports) {
        text.append("\n--- ").append(report).append(":\n");
        try (Stream<String> head = Files.lines(report, StandardCharsets.ISO_8859_1)) {
          text.append(head.limit(40).collect(Collectors.joining("\n")));
        } catch (IOException | UncheckedIOException e) {
          text.append("[unreadable: ").append(e).append(']');
        }
      }
      return text.toString();
    }
  }

  /** Counts of an {@code -Xlog:class+load} file: all loaded classes, and those from the cache. */
  record ClassLoads(long total, long fromCache, Map<String, Long> otherSources) {

    static ClassLoads read(Path log) {
      List<String> lines;
      try {
        lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> loads = lines.stream().filter(l -> l.contains(" source: ")).collect(Collectors.toList());
      long fromCache = loads.stream().filter(l -> l.contains(FROM_CACHE)).count();
      Map<String, Long> others =
          loads.stream()
              .filter(l -> !l.contains(FROM_CACHE))
              .map(l -> l.substring(l.indexOf(" source: ") + 9).trim())
              .map(AotCacheTest.ClassLoads::sourceKind)
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      Map<String, Long> top =
          others.entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(6)
              .collect(
                  Collectors.toMap(
                      Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new));
      return new ClassLoads(loads.size(), fromCache, top);
    }

    /** A jar or jrt module as is; a host class name (hidden classes) summed as one kind. */
    private static String sourceKind(String source) {
      if (source.startsWith("file:") || source.startsWith("jar:") || source.startsWith("jrt:")
          || source.startsWith("__")) {
        return source;
      }
      return "hidden classes of other classes";
    }

    double fraction() {
      return total == 0 ? 0 : (double) fromCache / total;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%d of %d classes from the AOT cache (%.1f%%)", fromCache, total, 100 * fraction());
    }
  }
}
