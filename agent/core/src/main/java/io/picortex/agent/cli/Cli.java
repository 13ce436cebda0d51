package io.picortex.agent.cli;

import io.picortex.agent.config.AgentConfig;
import io.picortex.agent.telemetry.TelemetrySetup;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;

/**
 * {@code java -jar picortex-agent.jar version|doctor}: what this agent is, and whether a
 * configuration will work here before it is deployed. {@code doctor} exits non-zero on a failure.
 */
public final class Cli {
  private Cli() {}

  public static int run(String[] args, PrintStream out, String version) {
    String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "version" -> {
        out.println("picortex-agent " + version);
        return 0;
      }
      case "doctor" -> {
        return doctor(AgentConfig.fromEnvironment(), out);
      }
      default -> {
        out.println("usage: java -jar picortex-agent.jar <command>");
        out.println("  version   print the agent version");
        out.println("  doctor    check the configuration (system properties, environment, file)");
        out.println("attach: java -javaagent:picortex-agent.jar -jar your-app.jar");
        return command.equals("help") ? 0 : 2;
      }
    }
  }

  static int doctor(AgentConfig config, PrintStream out) {
    int failures = 0;
    int feature = Runtime.version().feature();
    failures += check(out, feature >= 17, "Java " + Runtime.version() + " (17 or newer needed)");
    // building the pipeline runs every configuration check the agent makes at start-up
    TelemetrySetup.Telemetry telemetry = TelemetrySetup.create(config, System.getenv());
    telemetry.startExporters();
    try {
      if (telemetry.exporters().contains("otlp")) {
        String endpoint = config.get("otel.exporter.otlp.traces.endpoint");
        if (endpoint == null) {
          String base = config.getString("otel.exporter.otlp.endpoint",
              TelemetrySetup.DEFAULT_OTLP_ENDPOINT);
          endpoint = base.endsWith("/") ? base + "v1/traces" : base + "/v1/traces";
        }
        failures += check(out, answers(endpoint), "OTLP endpoint " + endpoint + " answers");
      } else {
        out.println("ok    exporters: " + (telemetry.exporters().isEmpty()
            ? "none (spans are not exported)" : String.join(",", telemetry.exporters())));
      }
    } finally {
      telemetry.shutdown(java.time.Duration.ofSeconds(1));
    }
    List<AgentConfig.Problem> problems = config.problems();
    for (AgentConfig.Problem p : problems) {
      out.println("FAIL  " + p.message());
    }
    failures += problems.size();
    out.println(failures == 0 ? "doctor: all checks passed" : "doctor: " + failures + " problem(s)");
    return failures == 0 ? 0 : 1;
  }

  private static int check(PrintStream out, boolean ok, String what) {
    out.println((ok ? "ok    " : "FAIL  ") + what);
    return ok ? 0 : 1;
  }

  private static boolean answers(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(3000);
      c.setReadTimeout(3000);
      c.setRequestMethod("POST");
      c.setRequestProperty("Content-Type", "application/x-protobuf");
      c.setDoOutput(true);
      c.getOutputStream().close();
      int code = c.getResponseCode();
      return code < 500 && code != 404;
    } catch (Exception e) {
      return false;
    }
  }
}
