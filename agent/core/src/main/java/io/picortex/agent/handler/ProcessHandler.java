package io.picortex.agent.handler;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.picortex.agent.log.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child processes: a CLIENT span named after the executable from start to exit, and the trace
 * context and request ID handed to the child through its environment ({@code TRACEPARENT}, {@code
 * TRACESTATE}, {@code BAGGAGE}: the OpenTelemetry environment-carrier names; {@code
 * PICORTEX_REQUEST_ID}) unless the caller set them. A value the builder holds only because the JVM
 * itself inherited it (a JVM started by a traced parent has that parent's {@code TRACEPARENT}) was
 * not set by the caller: it is replaced for the start, so that a grandchild continues this
 * process's span, and put back afterwards. No arguments are recorded: they often carry
 * secrets.
 */
public final class ProcessHandler {
  private static final AgentLog LOG = AgentLog.get(ProcessHandler.class);

  /**
   * A start in flight: the span, and either the variables we added to the builder's environment
   * (removed again after the start) or, when the child inherits the JVM's environment, our
   * variables encoded for {@link #environmentBlock}.
   */
  public static final class Call {
    final Span span;
    final List<String> added;
    /** Inherited variables we replaced for the start: name, original value, name, ... */
    List<String> replaced;
    /** Our variables as "NAME=value\0" bytes when the child inherits; null otherwise. */
    byte[] inheritedExtra;
    int inheritedCount;
    /** Whether {@link #environmentBlock} handed our variables to the JDK. */
    boolean delivered;

    Call(Span span, List<String> added) {
      this.span = span;
      this.added = added;
    }

    public boolean inherits() {
      return inheritedExtra != null;
    }

    void addInherited(String name, String value) {
      byte[] entry = InheritedEnvironment.encode(name, value);
      byte[] joined = new byte[inheritedExtra.length + entry.length];
      System.arraycopy(inheritedExtra, 0, joined, 0, inheritedExtra.length);
      System.arraycopy(entry, 0, joined, inheritedExtra.length, entry.length);
      inheritedExtra = joined;
      inheritedCount++;
    }
  }

  private static final byte[] NO_BYTES = new byte[0];

  private static final int MAX_ENVIRONMENT_NAMES = 64;
  private static final ConcurrentHashMap<String, String> ENVIRONMENT_NAMES =
      new ConcurrentHashMap<>();

  private final Tracing tracing;
  /** The start in flight on this thread whose child inherits, for {@link #environmentBlock}. */
  private final ThreadLocal<Call> inheriting = new ThreadLocal<>();
  /** Whether {@code ProcessEnvironment.toEnvironmentBlock} was seen woven (then it stays so). */
  private volatile boolean blockHookWoven;
  private volatile Boolean noneOfOursInherited;

  ProcessHandler(Tracing tracing) {
    this.tracing = tracing;
  }

  /**
   * Starts the span of {@code builder}'s start and hands our variables to the child: through the
   * JDK's environment block when the application never touched the builder's environment (no copy
   * of the JVM's environment, see {@link InheritedEnvironment}), else through {@code
   * environment()}. The caller must call {@link #started} or {@link #failed} on the same thread.
   */
  public Call start(ProcessBuilder builder) {
    if (InheritedEnvironment.available()
        && InheritedEnvironment.untouched(builder)
        && noneOfOursInherited()
        && blockHookWoven()) {
      return startInheriting(builder.command());
    }
    return start(builder.command(), builder.environment());
  }

  /** A start whose child inherits the JVM's environment; our variables wait for the block. */
  Call startInheriting(List<String> command) {
    Call call = start(command, null);
    inheriting.set(call);
    return call;
  }

  /**
   * {@code ProcessEnvironment.toEnvironmentBlock(map, envc)} returned {@code block}: when it was
   * asked for an inherited environment (null) during a start of ours on this thread, the JVM's
   * block with our variables instead.
   */
  public Object environmentBlock(Object block, Object envc) {
    Call call = inheriting.get();
    if (block != null || call == null || call.delivered || !(envc instanceof int[] count)
        || count.length == 0) {
      return block;
    }
    call.delivered = true;
    return InheritedEnvironment.append(call.inheritedExtra, call.inheritedCount, count);
  }

  /**
   * Whether the JVM's own environment has none of the variables we set (a JVM started by a traced
   * parent has its {@code TRACEPARENT}): then ours can simply follow the inherited block. Otherwise
   * ours must replace the inherited ones, which {@code environment()} does.
   */
  private boolean noneOfOursInherited() {
    Boolean none = noneOfOursInherited;
    if (none == null) {
      boolean found = InheritedEnvironment.has(tracing.requestIdEnvironmentVariable());
      for (String field : tracing.propagator().fields()) {
        found |= InheritedEnvironment.has(environmentName(field));
      }
      noneOfOursInherited = none = !found;
    }
    return none;
  }

  /**
   * Whether the block hook is in place, by asking the JDK for an inherited environment's block
   * with a probe in flight: until weaving has happened (or where it cannot), starts use {@code
   * environment()}.
   */
  private boolean blockHookWoven() {
    if (blockHookWoven) {
      return true;
    }
    Call probe = new Call(null, List.of());
    probe.inheritedExtra = NO_BYTES;
    inheriting.set(probe);
    try {
      InheritedEnvironment.blockForInherited();
    } finally {
      inheriting.remove();
    }
    if (probe.delivered) {
      blockHookWoven = true;
      LOG.debug("child processes get our variables through the JDK's environment block;"
          + " the environment is not copied for builders the application left untouched");
    }
    return probe.delivered;
  }

  /**
   * @param command the builder's command
   * @param environment the builder's (mutable) environment; variables are added to it for the
   *     start (replacing inherited values) and removed or restored by {@link #started} or {@link
   *     #failed}; null when the child inherits the JVM's: then they are encoded into the call
   *     for {@link #environmentBlock}
   */
  public Call start(List<String> command, Map<String, String> environment) {
    String executable = executableName(command);
    Context parent = tracing.parentForOutgoing();
    Span span =
        tracing
            .tracer()
            .spanBuilder(executable)
            .setSpanKind(SpanKind.CLIENT)
            .setParent(parent)
            .setAttribute(SemConv.PROCESS_EXECUTABLE_NAME, executable)
            .startSpan();
    Call call = new Call(span, environment == null ? List.of() : new ArrayList<>(4));
    if (environment == null) {
      call.inheritedExtra = NO_BYTES;
    }
    TextMapSetter<Map<String, String>> setter =
        (env, key, value) -> {
          String name = environmentName(key);
          if (env == null) {
            if (!InheritedEnvironment.has(name)) {
              call.addInherited(name, value);
            }
          } else {
            String existing = env.get(name);
            if (existing == null) {
              env.put(name, value);
              call.added.add(name);
            } else if (existing.equals(InheritedEnvironment.inheritedValue(name))) {
              // Inherited from the JVM's own parent, not set by the caller: this start is ours.
              env.put(name, value);
              if (call.replaced == null) {
                call.replaced = new ArrayList<>(4);
              }
              call.replaced.add(name);
              call.replaced.add(existing);
            }
          }
        };
    tracing.propagator().inject(parent.with(span), environment, setter);
    String requestId = RequestIds.from(parent);
    if (requestId != null) {
      setter.set(environment, tracing.requestIdEnvironmentVariable(), requestId);
    }
    return call;
  }

  /** After {@code builder}'s start returned {@code process}, on the thread that began it. */
  public void started(Call call, ProcessBuilder builder, Process process) {
    started(call, environmentOf(call, builder), process);
  }

  /** After {@code builder}'s start failed, on the thread that began it. */
  public void failed(Call call, ProcessBuilder builder, Throwable error) {
    failed(call, environmentOf(call, builder), error);
  }

  /** An inheriting call never asks the builder for its environment: that would copy the JVM's. */
  private static Map<String, String> environmentOf(Call call, ProcessBuilder builder) {
    return call.inherits() ? null : builder.environment();
  }

  /**
   * After a successful start, on the thread that began it.
   *
   * @param environment the builder's environment, or null for a call that {@link Call#inherits()}
   *     (asking the builder for it would copy the JVM's environment for nothing)
   */
  public void started(Call call, Map<String, String> environment, Process process) {
    leave(call, environment);
    Span span = call.span;
    try {
      span.setAttribute(SemConv.PROCESS_PID, process.pid());
    } catch (UnsupportedOperationException ignored) {
      // a Process implementation without a pid
    }
    ProcessExits.whenEnded(
        process,
        code -> {
          if (code != null) {
            span.setAttribute(SemConv.PROCESS_EXIT_CODE, (long) code);
            if (code != 0) {
              span.setStatus(StatusCode.ERROR);
              span.setAttribute(SemConv.ERROR_TYPE, Integer.toString(code));
            }
          }
          span.end();
        });
  }

  /** After a failed start, on the thread that began it; {@code environment} as for {@link #started}. */
  public void failed(Call call, Map<String, String> environment, Throwable error) {
    leave(call, environment);
    call.span.recordException(error);
    call.span.setAttribute(SemConv.ERROR_TYPE, error.getClass().getName());
    call.span.setStatus(StatusCode.ERROR);
    call.span.end();
  }

  /**
   * The builder is the application's: after the start it holds only what the caller put in. An
   * inheriting call leaves this thread's slot for {@link #environmentBlock}.
   */
  private void leave(Call call, Map<String, String> environment) {
    if (call.inherits()) {
      inheriting.remove();
      return;
    }
    for (String name : call.added) {
      environment.remove(name);
    }
    if (call.replaced != null) {
      for (int i = 0; i + 1 < call.replaced.size(); i += 2) {
        environment.put(call.replaced.get(i), call.replaced.get(i + 1));
      }
    }
  }

  static String executableName(List<String> command) {
    if (command == null || command.isEmpty() || command.get(0) == null) {
      return "process";
    }
    String exe = command.get(0);
    int slash = Math.max(exe.lastIndexOf('/'), exe.lastIndexOf('\\'));
    String name = slash >= 0 ? exe.substring(slash + 1) : exe;
    return name.isEmpty() ? "process" : Bounded.text(name, 128);
  }

  /** {@code traceparent} → {@code TRACEPARENT}; anything not a letter or digit becomes {@code _}. */
  static String environmentName(String key) {
    if (isEnvironmentName(key)) {
      return key; // e.g. the configured PICORTEX_REQUEST_ID
    }
    String known = ENVIRONMENT_NAMES.get(key);
    if (known != null) {
      return known; // the propagators' keys: computed once, not per process start
    }
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      b.append(Character.isLetterOrDigit(c) && c < 0x80 ? c : '_');
    }
    String name = b.toString().toUpperCase(Locale.ROOT);
    if (ENVIRONMENT_NAMES.size() < MAX_ENVIRONMENT_NAMES) {
      ENVIRONMENT_NAMES.put(key, name); // keys come from the propagators: a handful
    }
    return name;
  }

  private static boolean isEnvironmentName(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return !key.isEmpty();
  }
}
