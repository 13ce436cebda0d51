package io.picortex.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.time.Instant;
import java.util.jar.JarFile;

/**
 * The only agent class the application's class loader can see (with {@link AgentClassLoader}).
 * Everything else in the jar is stored under {@code inst/} as {@code .classdata} and loaded by an
 * isolated loader whose parent is the platform loader, so neither the agent's classes nor its
 * dependencies (OpenTelemetry, ByteBuddy, Jackson, ulid-creator) can clash with the application's.
 *
 * <p>Whatever goes wrong here, the application starts: one JSON line on stderr says why it runs
 * untraced. The only exception is strict mode, which the user asked to stop start-up.
 */
public final class AgentLauncher {
  private static final String AGENT_CLASS = "io.picortex.agent.Agent";
  private static final String CLI_CLASS = "io.picortex.agent.cli.Cli";

  private AgentLauncher() {}

  public static void premain(String arguments, Instrumentation inst) {
    start(arguments, inst);
  }

  public static void agentmain(String arguments, Instrumentation inst) {
    start(arguments, inst);
  }

  /** {@code java -jar picortex-agent.jar version|doctor}. */
  public static void main(String[] args) throws Exception {
    AgentClassLoader loader = loader();
    Class<?> cli = Class.forName(CLI_CLASS, true, loader);
    Object code =
        cli.getMethod("run", String[].class, java.io.PrintStream.class, String.class)
            .invoke(null, args, System.out, version());
    System.exit((Integer) code);
  }

  private static void start(String arguments, Instrumentation inst) {
    try {
      AgentClassLoader loader = loader();
      Class<?> agent = Class.forName(AGENT_CLASS, true, loader);
      agent
          .getMethod("start", Instrumentation.class, String.class, ClassLoader.class)
          .invoke(null, inst, arguments, loader);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause.getClass().getName().endsWith("$StrictModeException")) {
        throw new IllegalStateException("Picortex agent (strict mode): " + cause.getMessage());
      }
      failed(cause);
    } catch (Throwable t) {
      failed(t);
    }
  }

  private static AgentClassLoader loader() throws Exception {
    File jar = agentJar();
    return new AgentClassLoader(new JarFile(jar, false), jar.toURI().toURL(),
        ClassLoader.getPlatformClassLoader());
  }

  private static File agentJar() throws Exception {
    URL location = AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation();
    return new File(location.toURI());
  }

  private static String version() {
    String v = AgentLauncher.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** One line, JSON like every other agent message; no stack trace in the application's log. */
  private static void failed(Throwable t) {
    String error = t.getClass().getName() + ": " + t.getMessage();
    System.err.println(
        "{\"time\":\"" + Instant.now() + "\",\"level\":\"ERROR\",\"logger\":\"picortex.launcher\","
            + "\"message\":\"Picortex agent failed to start; the application runs without it\","
            + "\"error\":" + quote(error) + "}");
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
