package io.picortex.smoke;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An app in its own JVM, started as a user would: {@code java [-javaagent:...] -D... -cp ...
 * Main}. Waits for the app's {@code LISTENING <port>} line, keeps stdout and stderr for assertions
 * and failure messages, and ends the whole process tree on close.
 */
final class AppProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("^LISTENING (\\d+)$");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /** Variables that would leak the test environment's context or settings into the app. */
  private static final List<String> SCRUBBED_PREFIXES =
      List.of("OTEL_", "PICORTEX_", "TRACEPARENT", "TRACESTATE", "BAGGAGE");

  private final String name;
  private final List<String> command;
  private final Process process;
  private final OutputLines stdout;
  private final OutputLines stderr;
  private final int port;

  private AppProcess(String name, List<String> command, Map<String, String> environment)
      throws IOException {
    this.name = name;
    this.command = List.copyOf(command);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> SCRUBBED_PREFIXES.stream().anyMatch(key::startsWith));
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("JDK_JAVA_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    env.putAll(environment);
    process = builder.start();
    stdout = new OutputLines(name + "-stdout", process.getInputStream());
    stderr = new OutputLines(name + "-stderr", process.getErrorStream());
    port = awaitListening();
  }

  static Builder builder(String name) {
    return new Builder(name);
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String url(String pathAndQuery) {
    return baseUrl() + pathAndQuery;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<String> stdoutLines() {
    return stdout.lines();
  }

  List<String> stderrLines() {
    return stderr.lines();
  }

  /**
   * Sends SIGTERM, as a service manager would, and waits for the JVM to end; its exit code, or an
   * AssertionError when it did not end in time (then it is killed).
   */
  int stopGracefully(Duration timeout) {
    process.destroy();
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String state = describe();
    close();
    throw new AssertionError("app " + name + " did not end within " + timeout + " of SIGTERM" + state);
  }

  /** Waits until a line on stderr matches; false when none did before the timeout. */
  boolean awaitStderrLine(java.util.function.Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int index = 0;
    while (true) {
      List<String> lines = stderr.awaitMoreThan(index, deadline);
      for (; index < lines.size(); index++) {
        if (match.test(lines.get(index))) {
          return true;
        }
      }
      if (stderr.isFinished() || System.nanoTime() >= deadline) {
        return false;
      }
    }
  }

  /** The command and output, for failure messages. */
  String describe() {
    return "\n--- app "
        + name
        + (process.isAlive() ? " (running)" : " (exited " + process.exitValue() + ")")
        + "\ncommand: "
        + String.join(" ", command)
        + "\n--- stdout:\n"
        + tail(stdout.lines())
        + "\n--- stderr:\n"
        + tail(stderr.lines());
  }

  private static String tail(List<String> lines) {
    int from = Math.max(0, lines.size() - 80);
    return (from > 0 ? "... (" + from + " lines left out)\n" : "")
        + String.join("\n", lines.subList(from, lines.size()));
  }

  private int awaitListening() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    int index = 0;
    while (true) {
      List<String> lines = stdout.awaitMoreThan(index, deadline);
      for (; index < lines.size(); index++) {
        Matcher matcher = LISTENING.matcher(lines.get(index).trim());
        if (matcher.matches()) {
          return Integer.parseInt(matcher.group(1));
        }
      }
      if (stdout.isFinished() || System.nanoTime() >= deadline) {
        close();
        throw new IllegalStateException(
            "app "
                + name
                + " did not print 'LISTENING <port>' within "
                + START_TIMEOUT
                + describe());
      }
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
    descendants.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** Builds the command line. */
  static final class Builder {
    private final String name;
    private JavaHome javaHome;
    private Path agentJar;
    private List<Path> classPath = List.of();
    private String mainClass;
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> jvmArguments = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    Builder javaHome(JavaHome javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    /** Attach the agent; null for a run without it. */
    Builder agent(Path agentJar) {
      this.agentJar = agentJar;
      return this;
    }

    Builder classPath(List<Path> classPath) {
      this.classPath = List.copyOf(classPath);
      return this;
    }

    Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    /** The agent settings every smoke test uses: service name, OTLP endpoint, fast export. */
    Builder exportingTo(OtlpReceiver receiver, String serviceName) {
      systemProperty("otel.service.name", serviceName);
      systemProperty("otel.exporter.otlp.endpoint", receiver.endpoint());
      systemProperty("otel.traces.exporter", "otlp");
      systemProperty("otel.bsp.schedule.delay", "100");
      return this;
    }

    Builder systemProperty(String key, String value) {
      systemProperties.put(key, value);
      return this;
    }

    Builder jvmArgument(String argument) {
      jvmArguments.add(argument);
      return this;
    }

    Builder environment(String key, String value) {
      environment.put(key, value);
      return this;
    }

    AppProcess start() {
      List<String> command = new ArrayList<>();
      command.add(javaHome.java().toString());
      if (agentJar != null) {
        command.add("-javaagent:" + agentJar);
      }
      command.addAll(jvmArguments);
      systemProperties.putIfAbsent("port", "0");
      systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.add("-cp");
      command.add(classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
      command.add(mainClass);
      try {
        return new AppProcess(name, command, environment);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start " + String.join(" ", command), e);
      }
    }
  }

  /** Reads one stream line by line on a daemon thread, so nothing blocks on a full pipe. */
  private static final class OutputLines {
    private final List<String> lines = new ArrayList<>();
    private boolean finished;

    OutputLines(String threadName, InputStream in) {
      Thread reader = new Thread(() -> read(in), threadName);
      reader.setDaemon(true);
      reader.start();
    }

    private void read(InputStream in) {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (this) {
            lines.add(line);
            notifyAll();
          }
        }
      } catch (IOException e) {
        synchronized (this) {
          lines.add("[reading the stream failed: " + e + "]");
        }
      } finally {
        synchronized (this) {
          finished = true;
          notifyAll();
        }
      }
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    synchronized boolean isFinished() {
      return finished;
    }

    /** Waits until there are more than {@code count} lines, the stream ends or the deadline. */
    synchronized List<String> awaitMoreThan(int count, long deadlineNanos) {
      while (lines.size() <= count && !finished) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return List.copyOf(lines);
    }
  }
}
