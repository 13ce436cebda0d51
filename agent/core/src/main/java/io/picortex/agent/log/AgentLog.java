package io.picortex.agent.log;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The agent's own messages: one JSON object per line on stderr, quiet by default (warnings and
 * errors only). Deliberately not java.util.logging: initialising the global LogManager in premain
 * would break an application that configures its own.
 */
public final class AgentLog {

  /** Levels in increasing severity; OFF silences everything. */
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF
  }

  private static volatile Level threshold = Level.WARN;
  private static volatile PrintStream out = System.err;

  private final String logger;

  private AgentLog(String logger) {
    this.logger = logger;
  }

  public static AgentLog get(Class<?> type) {
    return new AgentLog(type.getSimpleName());
  }

  public static AgentLog named(String name) {
    return new AgentLog(name);
  }

  public static void setThreshold(Level level) {
    threshold = level;
  }

  public static Level threshold() {
    return threshold;
  }

  /** For tests only. */
  static void redirect(PrintStream stream) {
    out = stream;
  }

  public boolean isDebugEnabled() {
    return threshold.compareTo(Level.DEBUG) <= 0;
  }

  public void debug(String message, Object... fields) {
    log(Level.DEBUG, message, null, fields);
  }

  public void info(String message, Object... fields) {
    log(Level.INFO, message, null, fields);
  }

  public void warn(String message, Object... fields) {
    log(Level.WARN, message, null, fields);
  }

  public void error(String message, Throwable error, Object... fields) {
    log(Level.ERROR, message, error, fields);
  }

  /** Writes regardless of the threshold (used for messages the user asked for, e.g. strict mode). */
  public void always(Level level, String message, Object... fields) {
    out.println(format(level, logger, message, null, fields));
  }

  private void log(Level level, String message, Throwable error, Object... fields) {
    if (level.compareTo(threshold) < 0) {
      return;
    }
    out.println(format(level, logger, message, error, fields));
  }

  /** {@code fields} alternate names and values; a trailing name without value is ignored. */
  public static String format(
      Level level, String logger, String message, Throwable error, Object... fields) {
    StringBuilder b = new StringBuilder(160);
    b.append("{\"time\":\"").append(Instant.now()).append("\",\"level\":\"").append(level.name());
    b.append("\",\"logger\":");
    Json.quote(b, "picortex." + logger);
    b.append(",\"message\":");
    Json.quote(b, message);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      b.append(',');
      Json.quote(b, String.valueOf(fields[i]));
      b.append(':');
      Object v = fields[i + 1];
      if (v instanceof Number || v instanceof Boolean) {
        b.append(v);
      } else {
        Json.quote(b, String.valueOf(v));
      }
    }
    if (error != null) {
      b.append(",\"error\":");
      Json.quote(b, error.getClass().getName() + ": " + error.getMessage());
    }
    return b.append('}').toString();
  }
}
