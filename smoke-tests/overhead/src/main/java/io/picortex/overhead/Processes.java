package io.picortex.overhead;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every process the harness starts goes through here, so that each one (with its descendants) is
 * ended: by the step that started it (try/finally), and by a shutdown hook if the harness itself
 * is interrupted or fails. {@link #stillAlive()} lets the check prove that nothing was left
 * behind.
 */
final class Processes {

  /** Every process ever started or seen as a descendant of one, by pid. */
  private static final Map<Long, ProcessHandle> SEEN = new LinkedHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> destroyAll(Duration.ofSeconds(3)), "overhead-cleanup"));
  }

  private Processes() {}

  static Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    remember(process.toHandle());
    return process;
  }

  private static synchronized void remember(ProcessHandle handle) {
    SEEN.putIfAbsent(handle.pid(), handle);
  }

  static synchronized int startedCount() {
    return SEEN.size();
  }

  /** Pids of processes this harness started (or their descendants) that are still running. */
  static synchronized List<Long> stillAlive() {
    List<Long> alive = new ArrayList<>();
    SEEN.forEach((pid, handle) -> {
      if (handle.isAlive()) {
        alive.add(pid);
      }
    });
    return alive;
  }

  /**
   * Ends a process and all its descendants: SIGTERM to the root first (so a JVM runs its shutdown
   * hooks, which is when the agents flush their spans), then, after {@code grace}, SIGKILL to
   * whatever of the tree is left. Bounded: returns after at most about grace + 5 s.
   */
  static void destroyTree(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>();
    root.descendants().forEach(tree::add);
    tree.forEach(Processes::remember);
    tree.add(root);
    root.destroy();
    for (ProcessHandle child : tree) {
      if (child != root) {
        child.destroy();
      }
    }
    waitFor(root, grace);
    // Descendants started while the root was shutting down.
    root.descendants().forEach(h -> {
      remember(h);
      tree.add(h);
    });
    for (ProcessHandle handle : tree) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
      }
    }
    for (ProcessHandle handle : tree) {
      waitFor(handle, Duration.ofSeconds(5));
    }
  }

  static void destroyTree(Process process, Duration grace) {
    destroyTree(process.toHandle(), grace);
    try {
      // Reap it, so that it does not linger as a zombie that still counts as alive.
      process.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every process still alive that this harness started: the shutdown hook and the last step. */
  static void destroyAll(Duration grace) {
    List<ProcessHandle> alive = new ArrayList<>();
    synchronized (Processes.class) {
      SEEN.values().stream().filter(ProcessHandle::isAlive).forEach(alive::add);
    }
    for (ProcessHandle handle : alive) {
      destroyTree(handle, grace);
    }
  }

  private static void waitFor(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // The caller escalates.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The result of {@link #run}: exit code (-1 on timeout) and merged stdout + stderr. */
  record Output(int exitCode, String text) {}

  /** Runs a short command (jcmd, wrk, apt-get) to completion, bounded by {@code timeout}. */
  static Output run(List<String> command, Duration timeout) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = start(builder);
    try {
      CompletableFuture<String> reader = new CompletableFuture<>();
      Thread pump =
          new Thread(
              () -> {
                try {
                  reader.complete(
                      new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  reader.complete("");
                }
              },
              "overhead-output-" + process.pid());
      pump.setDaemon(true);
      pump.start();
      boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        destroyTree(process, Duration.ofSeconds(1));
      }
      String text;
      try {
        text = reader.get(5, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        text = "";
      }
      return new Output(done ? process.exitValue() : -1, text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command, e);
    } finally {
      if (process.isAlive()) {
        destroyTree(process, Duration.ofSeconds(1));
      }
    }
  }
}
