package io.picortex.benchmarks;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.picortex.agent.handler.ProcessHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (5) A child process through {@link ProcessHandler}: the span, {@code TRACEPARENT} (and {@code
 * PICORTEX_REQUEST_ID} inside a request) added to a fresh copy of a 30-variable environment, then
 * removed again, and the span ended.
 *
 * <p>{@code started} needs a {@link Process}: an already exited one stands in ({@link #EXITED}), so
 * the span ends at once in {@code onExit().whenComplete}; a real process's {@code onExit()} future
 * (and its reaper) is not part of what is measured. {@code failed} ends the span with a recorded
 * exception, which is much dearer (stack trace to text). {@link #envCopyOnly} is the cost of the
 * environment copy every variant pays, to subtract.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ProcessSpanBenchmark {
  private static final Process EXITED = new ExitedProcess();

  private final List<String> command =
      List.of("/usr/bin/convert", "in.png", "-resize", "50%", "out.png");
  private final Map<String, String> environment = new HashMap<>();
  private final IOException startFailure = new IOException("Cannot run program \"convert\"");
  private ProcessHandler handler;
  private Context serverContext;

  @Setup(Level.Trial)
  public void setUp(Pipeline pipeline) {
    handler = pipeline.handlers.process();
    serverContext = pipeline.serverContext;
    String[] names = {
      "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TERM", "PWD", "HOSTNAME",
      "JAVA_HOME", "TZ", "TMPDIR", "MAIL", "SHLVL", "EDITOR", "PAGER", "XDG_RUNTIME_DIR",
      "XDG_CONFIG_HOME", "XDG_DATA_HOME", "SSH_AUTH_SOCK", "DISPLAY", "COLORTERM", "LESS",
      "MAVEN_OPTS", "JAVA_TOOL_OPTIONS", "APP_ENV", "APP_REGION", "DB_HOST", "DB_PORT"
    };
    for (String name : names) {
      environment.put(name, "/some/value/for/" + name.toLowerCase());
    }
  }

  @Benchmark
  public Map<String, String> envCopyOnly() {
    return new HashMap<>(environment);
  }

  @Benchmark
  public Map<String, String> startAndStarted() {
    Map<String, String> env = new HashMap<>(environment);
    ProcessHandler.Call call = handler.start(command, env);
    handler.started(call, env, EXITED);
    return env;
  }

  @Benchmark
  public Map<String, String> startAndStarted_insideServerSpan() {
    try (Scope ignored = serverContext.makeCurrent()) {
      Map<String, String> env = new HashMap<>(environment);
      ProcessHandler.Call call = handler.start(command, env);
      handler.started(call, env, EXITED);
      return env;
    }
  }

  @Benchmark
  public Map<String, String> startAndFailed() {
    Map<String, String> env = new HashMap<>(environment);
    ProcessHandler.Call call = handler.start(command, env);
    handler.failed(call, env, startFailure);
    return env;
  }

  /** A process that has already exited with status 0. */
  private static final class ExitedProcess extends Process {
    private final CompletableFuture<Process> exited = CompletableFuture.completedFuture(this);

    @Override
    public CompletableFuture<Process> onExit() {
      return exited;
    }

    @Override
    public long pid() {
      return 4242;
    }

    @Override
    public int exitValue() {
      return 0;
    }

    @Override
    public int waitFor() {
      return 0;
    }

    @Override
    public void destroy() {}

    @Override
    public OutputStream getOutputStream() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
      return InputStream.nullInputStream();
    }
  }
}
