package io.picortex.overhead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The Java load generator, run in its own JVM (never in the harness's or the service's): a fixed
 * number of keep-alive connections, each sending GET requests back to back for a fixed time
 * (closed loop, like wrk). The harness starts it once and drives it over stdin:
 *
 * <pre>
 *   RUN &lt;port&gt; &lt;path&gt; &lt;connections&gt; &lt;millis&gt;   -> prints one RESULT line
 *   QUIT (or end of input)                         -> exits
 * </pre>
 *
 * Everything is bounded: each request by a socket timeout, each phase by its duration plus that
 * timeout, and the process ends when the harness closes its stdin.
 */
public final class LoadGenerator {

  static final String HOST = "127.0.0.1";
  static final int SOCKET_TIMEOUT_MILLIS = 30_000;

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    out.println("READY");
    out.flush();
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command; (command = commands.readLine()) != null; ) {
      String[] words = command.trim().split("\\s+");
      if (words[0].equals("QUIT")) {
        break;
      }
      if (words[0].equals("RUN") && words.length == 5) {
        LoadResult result =
            run(Integer.parseInt(words[1]), words[2], Integer.parseInt(words[3]),
                Long.parseLong(words[4]));
        out.println(result.toLine());
      } else {
        out.println("ERROR unknown command: " + command);
      }
      out.flush();
    }
    System.exit(0);
  }

  /** Per connection: its latencies (nanos, growing array) and its error count. */
  private static final class Worker implements Runnable {
    private final byte[] request;
    private final int port;
    private final long deadline;
    long[] latencies = new long[4096];
    int count;
    long errors;

    Worker(int port, String path, long deadline) {
      this.port = port;
      this.request = MiniHttp.request(HOST, port, path, true);
      this.deadline = deadline;
    }

    @Override
    public void run() {
      MiniHttp http = new MiniHttp(HOST, port, SOCKET_TIMEOUT_MILLIS);
      try {
        while (System.nanoTime() < deadline) {
          long start = System.nanoTime();
          try {
            int status = http.send(request);
            long took = System.nanoTime() - start;
            if (status >= 200 && status < 300) {
              if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
              }
              latencies[count++] = took;
            } else {
              errors++;
            }
          } catch (IOException | RuntimeException e) {
            errors++;
            http.close();
            sleepQuietly(10);
          }
        }
      } finally {
        http.close();
      }
    }
  }

  static LoadResult run(int port, String path, int connections, long millis)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(millis);
    Worker[] workers = new Worker[connections];
    Thread[] threads = new Thread[connections];
    for (int i = 0; i < connections; i++) {
      workers[i] = new Worker(port, path, deadline);
      threads[i] = new Thread(workers[i], "load-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
    long joinDeadline = deadline + TimeUnit.MILLISECONDS.toNanos(SOCKET_TIMEOUT_MILLIS + 5_000);
    for (Thread thread : threads) {
      long left = TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime());
      thread.join(Math.max(1, left));
    }
    long elapsed = System.nanoTime() - start;
    long requests = 0;
    long errors = 0;
    for (int i = 0; i < connections; i++) {
      if (threads[i].isAlive()) {
        errors++; // stuck past its socket timeout: its figures are not safe to read
        continue;
      }
      requests += workers[i].count;
      errors += workers[i].errors;
    }
    long[] all = new long[(int) requests];
    int at = 0;
    for (int i = 0; i < connections; i++) {
      if (!threads[i].isAlive()) {
        System.arraycopy(workers[i].latencies, 0, all, at, workers[i].count);
        at += workers[i].count;
      }
    }
    Arrays.sort(all);
    return new LoadResult(
        requests, errors, elapsed, percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3);
  }

  /** Nearest-rank percentile of sorted values; 0 when there are none. */
  static double percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
