package io.picortex.overhead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A load generator in its own process: wrk, or the Java {@link LoadGenerator} in its own JVM. */
interface Load extends AutoCloseable {

  /** How the report names it. */
  String describe();

  /** GET {@code path} on 127.0.0.1:{@code port} with a fixed number of connections for a time. */
  LoadResult run(int port, String path, int connections, Duration duration) throws IOException;

  @Override
  void close();

  /** The Java load generator, one JVM for the whole harness run, driven over its stdin. */
  final class Java implements Load {
    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Java(Path javaExecutable, Path classPath) throws IOException {
      ProcessBuilder builder =
          new ProcessBuilder(
                  javaExecutable.toString(),
                  "-XX:+UseSerialGC",
                  "-Xms64m",
                  "-Xmx512m",
                  "-cp",
                  classPath.toString(),
                  LoadGenerator.class.getName())
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      process = Processes.start(builder);
      commands = process.getOutputStream();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // process ended
                } finally {
                  lines.add("EOF");
                }
              },
              "overhead-loadgen-output");
      reader.setDaemon(true);
      reader.start();
      String ready = next(Duration.ofSeconds(60));
      if (!"READY".equals(ready)) {
        close();
        throw new IOException("the Java load generator did not start: " + ready);
      }
    }

    private String next(Duration timeout) throws IOException {
      try {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
          throw new IOException("the Java load generator did not answer within " + timeout);
        }
        return line;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    @Override
    public String describe() {
      return "Java load generator (separate JVM, closed loop, keep-alive)";
    }

    @Override
    public LoadResult run(int port, String path, int connections, Duration duration)
        throws IOException {
      String command = "RUN " + port + " " + path + " " + connections + " " + duration.toMillis() + "\n";
      commands.write(command.getBytes(StandardCharsets.UTF_8));
      commands.flush();
      Duration limit = duration.plusMillis(LoadGenerator.SOCKET_TIMEOUT_MILLIS).plusSeconds(30);
      String line = next(limit);
      if (!line.startsWith("RESULT ")) {
        throw new IOException("the Java load generator said: " + line);
      }
      return LoadResult.parseLine(line);
    }

    @Override
    public void close() {
      try {
        commands.write("QUIT\n".getBytes(StandardCharsets.UTF_8));
        commands.close();
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        // it is going anyway
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        Processes.destroyTree(process, Duration.ofSeconds(2));
      }
    }
  }

  /** wrk (Debian's package), one process per load phase. */
  final class Wrk implements Load {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m|h)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
        Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path wrk;

    Wrk(Path wrk) {
      this.wrk = wrk;
    }

    /** wrk on the PATH; if absent and we are root, {@code apt-get install -y wrk}. Null if neither. */
    static Path findOrInstall(StringBuilder notes) {
      Path found = onPath("wrk");
      if (found != null || !isRoot()) {
        return found;
      }
      try {
        notes.append("wrk not found: running apt-get install -y wrk\n");
        Processes.Output install =
            Processes.run(List.of("apt-get", "install", "-y", "wrk"), Duration.ofMinutes(3));
        if (install.exitCode() != 0) {
          Processes.run(List.of("apt-get", "update"), Duration.ofMinutes(3));
          install = Processes.run(List.of("apt-get", "install", "-y", "wrk"), Duration.ofMinutes(3));
        }
        if (install.exitCode() != 0) {
          notes.append("apt-get install -y wrk failed (exit ").append(install.exitCode()).append(")\n");
        }
      } catch (IOException e) {
        notes.append("apt-get install -y wrk failed: ").append(e.getMessage()).append('\n');
      }
      return onPath("wrk");
    }

    private static Path onPath(String name) {
      String path = System.getenv("PATH");
      if (path == null) {
        return null;
      }
      for (String dir : path.split(":")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
      return null;
    }

    private static boolean isRoot() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("Uid:")) {
            return line.substring(4).trim().split("\\s+")[0].equals("0");
          }
        }
      } catch (IOException e) {
        // not Linux, or no /proc
      }
      return false;
    }

    @Override
    public String describe() {
      return "wrk (" + wrk + ", closed loop, keep-alive)";
    }

    @Override
    public LoadResult run(int port, String path, int connections, Duration duration)
        throws IOException {
      long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
      List<String> command = new ArrayList<>(List.of(
          wrk.toString(),
          "-t", Integer.toString(Math.min(2, connections)),
          "-c", Integer.toString(connections),
          "-d", seconds + "s",
          "--latency",
          "--timeout", "30s",
          "http://127.0.0.1:" + port + path));
      Processes.Output out = Processes.run(command, Duration.ofSeconds(seconds + 60));
      if (out.exitCode() != 0) {
        throw new IOException("wrk exited " + out.exitCode() + ": " + out.text().strip());
      }
      return parse(out.text());
    }

    static LoadResult parse(String text) throws IOException {
      Matcher requests = REQUESTS.matcher(text);
      if (!requests.find()) {
        throw new IOException("no request count in wrk output:\n" + text);
      }
      long count = Long.parseLong(requests.group(1));
      long elapsed = nanos(requests.group(2), requests.group(3));
      double p50 = -1;
      double p99 = -1;
      for (String line : text.lines().toList()) {
        Matcher m = PERCENTILE.matcher(line);
        if (m.matches()) {
          double micros = nanos(m.group(2), m.group(3)) / 1e3;
          if (m.group(1).equals("50")) {
            p50 = micros;
          } else {
            p99 = micros;
          }
        }
      }
      if (p50 < 0 || p99 < 0) {
        throw new IOException("no latency distribution in wrk output:\n" + text);
      }
      long non2xxCount = 0;
      Matcher non2xx = NON_2XX.matcher(text);
      if (non2xx.find()) {
        non2xxCount = Long.parseLong(non2xx.group(1));
      }
      long errors = non2xxCount;
      Matcher socket = SOCKET_ERRORS.matcher(text);
      if (socket.find()) {
        for (int i = 1; i <= 4; i++) {
          errors += Long.parseLong(socket.group(i));
        }
      }
      // wrk counts non-2xx answers as requests; socket errors are not in the count.
      return new LoadResult(Math.max(0, count - non2xxCount), errors, elapsed, p50, p99);
    }

    private static long nanos(String value, String unit) {
      double v = Double.parseDouble(value);
      double factor = switch (unit.toLowerCase(Locale.ROOT)) {
        case "us" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        case "h" -> 3600e9;
        default -> throw new IllegalArgumentException(unit);
      };
      return Math.round(v * factor);
    }

    @Override
    public void close() {}
  }
}
