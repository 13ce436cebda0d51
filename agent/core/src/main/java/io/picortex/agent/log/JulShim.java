package io.picortex.agent.log;

import java.util.logging.Level;

/**
 * Stands in for {@code java.util.logging.Logger} inside the agent jar: the build relocates every
 * reference the bundled libraries (the OpenTelemetry SDK, its exporters) make to that class to this
 * one. Initialising the JDK's global LogManager in premain would fix its configuration before the
 * application sets its own (a custom {@code java.util.logging.manager}, a JUL bridge); through this
 * shim the libraries' messages become agent log lines instead, at the agent's level.
 *
 * <p>Only the methods those libraries call exist; {@code AgentJarLayoutTest} in the smoke tests
 * fails when a library update starts using another one.
 */
public final class JulShim {
  private final AgentLog log;

  private JulShim(String name) {
    int dot = name.lastIndexOf('.');
    this.log = AgentLog.named(dot >= 0 ? name.substring(dot + 1) : name);
  }

  public static JulShim getLogger(String name) {
    return new JulShim(name == null ? "library" : name);
  }

  public boolean isLoggable(Level level) {
    return level(level).compareTo(AgentLog.threshold()) >= 0;
  }

  public void log(Level level, String message) {
    write(level, message, null);
  }

  public void log(Level level, String message, Throwable error) {
    write(level, message, error);
  }

  public void log(Level level, String message, Object[] parameters) {
    if (!isLoggable(level)) {
      return; // no formatting for a line nobody will see
    }
    if (parameters != null && message != null) {
      for (int i = 0; i < parameters.length; i++) {
        message = message.replace("{" + i + "}", String.valueOf(parameters[i]));
      }
    }
    write(level, message, null);
  }

  public void fine(String message) {
    write(Level.FINE, message, null);
  }

  public void info(String message) {
    write(Level.INFO, message, null);
  }

  public void warning(String message) {
    write(Level.WARNING, message, null);
  }

  public void severe(String message) {
    write(Level.SEVERE, message, null);
  }

  private void write(Level level, String message, Throwable error) {
    AgentLog.Level l = level(level);
    switch (l) {
      case DEBUG -> log.debug(message);
      case INFO -> log.info(message);
      case WARN -> {
        if (error == null) {
          log.warn(message);
        } else {
          log.warn(message, "error", error.toString());
        }
      }
      default -> log.error(message, error);
    }
  }

  static AgentLog.Level level(Level level) {
    int v = level == null ? Level.INFO.intValue() : level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return AgentLog.Level.ERROR;
    }
    if (v >= Level.WARNING.intValue()) {
      return AgentLog.Level.WARN;
    }
    if (v >= Level.CONFIG.intValue()) {
      return AgentLog.Level.INFO;
    }
    return AgentLog.Level.DEBUG;
  }
}
