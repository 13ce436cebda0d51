package io.picortex.agent.handler;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child processes: a CLIENT span named after the executable from start to exit, and the trace
 * context and request ID handed to the child through its environment ({@code TRACEPARENT}, {@code
 * TRACESTATE}, {@code BAGGAGE}: the OpenTelemetry environment-carrier names; {@code
 * PICORTEX_REQUEST_ID}) unless the caller set them. No arguments are recorded: they often carry
 * secrets.
 */
public final class ProcessHandler {

  /** A start in flight: the span and the variables we added, removed again after the start. */
  public static final class Call {
    final Span span;
    final List<String> added;

    Call(Span span, List<String> added) {
      this.span = span;
      this.added = added;
    }
  }

  private static final int MAX_ENVIRONMENT_NAMES = 64;
  private static final ConcurrentHashMap<String, String> ENVIRONMENT_NAMES =
      new ConcurrentHashMap<>();

  private final Tracing tracing;

  ProcessHandler(Tracing tracing) {
    this.tracing = tracing;
  }

  /**
   * @param command the builder's command
   * @param environment the builder's (mutable) environment; variables are added to it for the
   *     start and removed again by {@link #started} or {@link #failed}
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
    List<String> added = new ArrayList<>(4);
    TextMapSetter<Map<String, String>> setter =
        (env, key, value) -> {
          String name = environmentName(key);
          if (env != null && !env.containsKey(name)) {
            env.put(name, value);
            added.add(name);
          }
        };
    tracing.propagator().inject(parent.with(span), environment, setter);
    String requestId = RequestIds.from(parent);
    if (requestId != null) {
      setter.set(environment, tracing.requestIdEnvironmentVariable(), requestId);
    }
    return new Call(span, added);
  }

  public void started(Call call, Map<String, String> environment, Process process) {
    removeAdded(call, environment);
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

  public void failed(Call call, Map<String, String> environment, Throwable error) {
    removeAdded(call, environment);
    call.span.recordException(error);
    call.span.setAttribute(SemConv.ERROR_TYPE, error.getClass().getName());
    call.span.setStatus(StatusCode.ERROR);
    call.span.end();
  }

  /** The builder is the application's: after the start it holds only what the caller put in. */
  private static void removeAdded(Call call, Map<String, String> environment) {
    for (String name : call.added) {
      environment.remove(name);
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
