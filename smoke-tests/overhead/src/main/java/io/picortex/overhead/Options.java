package io.picortex.overhead;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What to run. A mode sets the defaults; {@code --name=value} arguments override them:
 *
 * <pre>
 *   --rounds=N            rounds (each runs every service in every configuration once)
 *   --warmup=S            seconds of load before measuring (discarded)
 *   --duration=S          seconds of measured load per run
 *   --slices=N            the measured load comes in N slices of duration/N seconds; the
 *                         configurations of a service run side by side and take turns, slice by
 *                         slice (A B C A B C ...), so that drift within a round hits them alike
 *   --connections=N       concurrent keep-alive connections of the load generator
 *   --load=auto|wrk|java  auto: wrk if present or installable with apt-get, else the Java one
 *   --services=jdk,spring
 *   --configs=none,picortex,otel   (also: candidate, see below)
 *   --java-home=DIR       the JDK the services run on (default: the one running the harness)
 *   --root=DIR            the checkout (default: found from the harness's location)
 *   --agent-jar=FILE      our agent (default: ROOT/agent/target/picortex-agent.jar)
 *   --otel-version=V      OpenTelemetry Java agent version (default 2.33.1)
 *   --jdk-path=/api/hello, --spring-path=/api/hello   the route under load
 *   --jdk-nodelay=true    run jdk-service with -Dsun.net.httpserver.nodelay=true (see README.md)
 *   --jvm-arg=ARG         extra JVM argument for every service run (repeatable)
 *   --candidate-jar=FILE  a second build of our agent, run as the configuration "candidate"
 *                         (default: the --agent-jar), to compare two builds or settings in one run
 *   --candidate-arg=ARG   extra JVM argument for the candidate's runs only (repeatable), e.g.
 *                         -Dotel.traces.sampler=always_off
 *   --out=FILE            the report (default: target/overhead-report.md, check: overhead-report-check.md)
 *   --time-limit=S        a run that would end after this (judged by its previous round) is
 *                         skipped and reported as such
 * </pre>
 */
record Options(
    String mode,
    int rounds,
    Duration warmup,
    Duration duration,
    int slices,
    int connections,
    String load,
    List<String> services,
    List<String> configs,
    Path javaHome,
    Path root,
    Path agentJar,
    String otelVersion,
    String jdkPath,
    String springPath,
    boolean jdkNoDelay,
    List<String> jvmArgs,
    Path candidateJar,
    List<String> candidateArgs,
    Path out,
    Duration timeLimit,
    Duration startupTimeout) {

  static final List<String> ALL_SERVICES = List.of("jdk-service", "spring-service");
  static final List<String> ALL_CONFIGS = List.of("none", "picortex", "candidate", "otel");
  static final List<String> DEFAULT_CONFIGS = List.of("none", "picortex", "otel");

  static Options parse(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: OverheadHarness quick|full|check [--name=value ...]");
    }
    String mode = args[0].toLowerCase(Locale.ROOT);
    int rounds;
    int warmup;
    int duration;
    int slices = 1;
    int connections = 8;
    String load = "auto";
    int timeLimit;
    switch (mode) {
      case "check" -> {
        // Proves the harness works, in about a minute: every row and column, no meaningful times.
        rounds = 1;
        warmup = 1;
        duration = 2;
        slices = 2;
        connections = 4;
        load = "java";
        timeLimit = 240;
      }
      case "quick" -> {
        rounds = 3;
        warmup = 3;
        duration = 5;
        timeLimit = 285;
      }
      case "full" -> {
        rounds = 5;
        warmup = 15;
        duration = 20;
        slices = 4;
        timeLimit = 1440;
      }
      default -> throw new IllegalArgumentException("mode must be quick, full or check: " + mode);
    }
    List<String> services = ALL_SERVICES;
    List<String> configs = DEFAULT_CONFIGS;
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path root = null;
    Path agentJar = null;
    String otelVersion = OtelAgentFetcher.DEFAULT_VERSION;
    String jdkPath = "/api/hello";
    String springPath = "/api/hello";
    boolean jdkNoDelay = true;
    List<String> jvmArgs = new ArrayList<>();
    Path candidateJar = null;
    List<String> candidateArgs = new ArrayList<>();
    Path out = null;
    for (String arg : Arrays.asList(args).subList(1, args.length)) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --name=value: " + arg);
      }
      String name = arg.substring(2, eq);
      String value = arg.substring(eq + 1);
      switch (name) {
        case "rounds" -> rounds = positive(name, value);
        case "warmup" -> warmup = Integer.parseInt(value);
        case "duration" -> duration = positive(name, value);
        case "slices" -> slices = positive(name, value);
        case "connections" -> connections = positive(name, value);
        case "load" -> load = oneOf(name, value, List.of("auto", "wrk", "java"));
        case "services" -> services = subset(name, value, ALL_SERVICES, true);
        case "configs" -> configs = subset(name, value, ALL_CONFIGS, false);
        case "java-home" -> javaHome = Path.of(value);
        case "root" -> root = Path.of(value);
        case "agent-jar" -> agentJar = Path.of(value);
        case "otel-version" -> otelVersion = value;
        case "jdk-path" -> jdkPath = value;
        case "spring-path" -> springPath = value;
        case "jdk-nodelay" -> jdkNoDelay = Boolean.parseBoolean(oneOf(name, value, List.of("true", "false")));
        case "jvm-arg" -> jvmArgs.add(value);
        case "candidate-jar" -> candidateJar = Path.of(value);
        case "candidate-arg" -> candidateArgs.add(value);
        case "out" -> out = Path.of(value);
        case "time-limit" -> timeLimit = positive(name, value);
        default -> throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    if (duration < slices) {
      throw new IllegalArgumentException("--slices=" + slices + " with --duration=" + duration
          + ": a slice must last at least 1 s (the load generators count whole seconds)");
    }
    if (root == null) {
      root = findRoot();
    }
    root = root.toAbsolutePath().normalize();
    if (agentJar == null) {
      agentJar = root.resolve("agent/target/picortex-agent.jar");
    }
    if (candidateJar == null) {
      candidateJar = agentJar;
    }
    if ((candidateArgs.size() > 0 || !candidateJar.equals(agentJar)) && !configs.contains("candidate")) {
      throw new IllegalArgumentException(
          "--candidate-jar/--candidate-arg need the configuration: add candidate to --configs");
    }
    if (out == null) {
      out = moduleTarget(root).resolve(mode.equals("check") ? "overhead-report-check.md" : "overhead-report.md");
    }
    return new Options(mode, rounds, Duration.ofSeconds(warmup), Duration.ofSeconds(duration),
        slices, connections, load, services, configs, javaHome, root, agentJar, otelVersion, jdkPath,
        springPath, jdkNoDelay, List.copyOf(jvmArgs), candidateJar.toAbsolutePath(),
        List.copyOf(candidateArgs), out.toAbsolutePath(), Duration.ofSeconds(timeLimit),
        Duration.ofSeconds(120));
  }

  static Path moduleTarget(Path root) {
    return root.resolve("smoke-tests/overhead/target");
  }

  Path target() {
    return moduleTarget(root);
  }

  /** The checkout: the system property overhead.root, else up from the harness's jar or classes. */
  static Path findRoot() {
    String property = System.getProperty("overhead.root");
    if (property != null) {
      return Path.of(property);
    }
    List<Path> starts = new ArrayList<>();
    try {
      starts.add(Path.of(Options.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      // fall back to the working directory
    }
    starts.add(Path.of("").toAbsolutePath());
    for (Path start : starts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve("smoke-tests/apps/jdk-service/pom.xml"))) {
          return dir;
        }
      }
    }
    throw new IllegalArgumentException(
        "cannot find the checkout (a directory with smoke-tests/apps): pass --root=DIR");
  }

  private static int positive(String name, String value) {
    int n = Integer.parseInt(value);
    if (n <= 0) {
      throw new IllegalArgumentException("--" + name + " must be positive: " + value);
    }
    return n;
  }

  private static String oneOf(String name, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException("--" + name + " must be one of " + allowed + ": " + value);
    }
    return value;
  }

  private static List<String> subset(String name, String value, List<String> all, boolean suffix) {
    List<String> chosen = new ArrayList<>();
    for (String item : value.split(",")) {
      String full = suffix && !item.endsWith("-service") ? item + "-service" : item;
      oneOf(name, full, all);
      chosen.add(full);
    }
    // Keep the canonical order; "none" must be there, every ratio is against it.
    List<String> ordered = all.stream().filter(chosen::contains).toList();
    if (!suffix && !ordered.contains("none")) {
      throw new IllegalArgumentException("--configs must include none (the reference)");
    }
    return ordered;
  }
}
